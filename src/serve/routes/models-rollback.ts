/** POST /models/rollback (admin): make the previously active version active again and serve it. */
import type { FastifyPluginAsync } from 'fastify';
import { ErrorSchema, SwapResponseSchema } from '../schemas.js';
import { requireRegistry, serveActive } from '../swap-active.js';

export const modelsRollbackRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/models/rollback',
    {
      schema: { summary: 'make the previously active version active again', response: { 200: SwapResponseSchema, 409: ErrorSchema, 422: ErrorSchema, 503: ErrorSchema } } as never,
      config: { access: 'manage_models', audit: 'config_change' },
    },
    async (req) => {
      requireRegistry(app.ttm);
      req.auditDetail = { action: 'rollback' };
      return serveActive(app.ttm, await app.ttm.source.rollback());
    },
  );
};
