/** GET /models: registered versions with their metrics, which is active, which this server answers with. */
import type { FastifyPluginAsync } from 'fastify';
import { ModelsSchema } from '../schemas.js';

export const modelsRoute: FastifyPluginAsync = async (app) => {
  app.get(
    '/models',
    { schema: { summary: 'model versions, their metrics and the active one', response: { 200: ModelsSchema } } as never, config: { access: 'read_models', audit: 'data_access' } },
    async () => {
      const { pool, source } = app.ttm;
      const [versions, active] = await Promise.all([source.list(), source.active()]);
      const serving = pool.active?.version ?? null;
      return {
        active,
        serving,
        versions: versions.map((v) => ({ ...v, active: v.version === active, loaded: v.version === serving || pool.isLoaded(v.version) })),
        last_swap_error: pool.lastSwapError,
      };
    },
  );
};
