/** GET /metrics: Prometheus exposition of this process's registry. */
import type { FastifyPluginAsync } from 'fastify';

export const metricsRoute: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format)' } as never, config: { access: 'read_models' } }, async (_req, reply) => {
    const { registry } = app.ttm.metrics;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};
