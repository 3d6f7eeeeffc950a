/** POST /models/promote (admin): make a registered version active and serve it. */
import type { FastifyPluginAsync } from 'fastify';
import { ErrorSchema, PromoteRequestSchema, SwapResponseSchema } from '../schemas.js';
import { requireRegistry, serveActive } from '../swap-active.js';

export const modelsPromoteRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/models/promote',
    {
      schema: { summary: 'make a registered version active and serve it', body: PromoteRequestSchema, response: { 200: SwapResponseSchema, 404: ErrorSchema, 409: ErrorSchema, 422: ErrorSchema, 503: ErrorSchema } } as never,
      config: { access: 'manage_models', audit: 'config_change' },
    },
    async (req) => {
      requireRegistry(app.ttm);
      const { version } = req.body as { version: string };
      req.auditDetail = { action: 'promote', version };
      return serveActive(app.ttm, await app.ttm.source.promote(version));
    },
  );
};
