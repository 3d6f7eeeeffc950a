/** GET /metrics: Prometheus exposition of this process's registry (under --workers: of every worker). */
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../http-error.js';

export const metricsRoute: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format)' } as never, config: { access: 'read_models' } }, async (_req, reply) => {
    const { registry } = app.ttm.metrics;
    let text: string;
    try {
      text = await app.ttm.metricsText();
    } catch (err) {
      throw HttpError.unavailable(`metrics of the worker processes not collected: ${(err as Error).message}`, 'retry the scrape; a worker may be restarting');
    }
    return reply.type(registry.contentType).send(text);
  });
};
