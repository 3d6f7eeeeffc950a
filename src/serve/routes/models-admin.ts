/** POST /models/promote and /models/rollback (admin): change the registry's active version and serve it. */
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../http-error.js';
import { ErrorSchema, PromoteRequestSchema, SwapResponseSchema } from '../schemas.js';

export const modelsAdminRoute: FastifyPluginAsync = async (app) => {
  const after = async (r: { active: string; previous: string | null }) => {
    const { pool } = app.ttm;
    await pool.switchTo(r.active);
    if (pool.active?.version !== r.active) {
      throw HttpError.unavailable(`version ${r.active} is active in the registry but this server refused it: ${pool.lastSwapError?.message ?? 'unknown'}`, 'fix or roll back the version');
    }
    return { ...r, serving: pool.active?.version ?? null };
  };
  const registryOnly = () => {
    if (app.ttm.source.kind !== 'registry') throw new HttpError(409, 'conflict', 'this server serves one model directory; promote and roll back need --registry', 'start ttm serve --registry DIR');
  };

  app.post(
    '/models/promote',
    {
      schema: { summary: 'make a registered version active and serve it', body: PromoteRequestSchema, response: { 200: SwapResponseSchema, 404: ErrorSchema, 503: ErrorSchema } } as never,
      config: { access: 'manage_models', audit: 'config_change' },
    },
    async (req) => {
      registryOnly();
      const { version } = req.body as { version: string };
      req.auditDetail = { action: 'promote', version };
      const known = await app.ttm.source.list();
      if (!known.some((v) => v.version === version)) throw HttpError.notFound(`version ${version} is not registered`, `registered: ${known.map((v) => v.version).join(', ') || 'none'}`);
      return after(await app.ttm.source.promote(version));
    },
  );

  app.post(
    '/models/rollback',
    {
      schema: { summary: 'make the previously active version active again', response: { 200: SwapResponseSchema, 409: ErrorSchema, 503: ErrorSchema } } as never,
      config: { access: 'manage_models', audit: 'config_change' },
    },
    async (req) => {
      registryOnly();
      req.auditDetail = { action: 'rollback' };
      let r: { active: string; previous: string | null };
      try {
        r = await app.ttm.source.rollback();
      } catch (err) {
        throw new HttpError(409, 'conflict', (err as Error).message, 'promote a version first');
      }
      return after(r);
    },
  );
};
