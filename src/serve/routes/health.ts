/** GET /health: open; 200 while a model is loaded and the server is not draining, else 503. */
import type { FastifyPluginAsync } from 'fastify';
import { HealthSchema } from '../schemas.js';

export const healthRoute: FastifyPluginAsync = async (app) => {
  app.get(
    '/health',
    { schema: { summary: 'service status (no credential needed)', response: { 200: HealthSchema, 503: HealthSchema } } as never, config: { access: 'open' } },
    async (_req, reply) => {
      const { pool, startedAt } = app.ttm;
      const version = pool.active?.version ?? null;
      const ok = version !== null && !pool.closed;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', model_version: version, uptime_seconds: (Date.now() - startedAt) / 1000 });
    },
  );
};
