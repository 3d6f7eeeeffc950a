/**
 * TEMPORARY (until issue 11's buildApp lands): a minimal fastify app that registers the dashboard
 * plugin with the served data, the model and a key → role check. Replaced by buildApp after the merge.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { loadWeekly } from '../../src/data/index.js';
import { loadForecaster } from '../../src/io/load-forecaster.js';
import { dashboard } from '../../src/serve/routes/dashboard.js';
import type { DashboardFixture } from './dashboard-fixture.js';

const ROLE_CAN_VIEW: Record<string, boolean> = { business_user: true, admin: true, readonly: true, data_scientist: false };

export async function harnessApp(fx: DashboardFixture, keys: Record<string, string>): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(({ schema }) => (data) => {
    const r = (schema as unknown as z.ZodType).safeParse(data);
    return r.success ? { value: r.data } : { error: r.error };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const ds = await loadWeekly(fx.data);
  const forecaster = await loadForecaster(fx.model);
  app.addHook('onClose', async () => forecaster.model.dispose());
  await app.register(dashboard, {
    dataset: () => ds,
    withModel: (use) => use({ version: 'model', trained_at: statSync(join(fx.model, 'model.safetensors')).mtime.toISOString(), forecaster }),
    evaluationsDir: join(fx.results, 'evaluations'),
    requireViewDashboards: async (req, reply) => {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const role = m ? keys[m[1]] : undefined;
      if (!role) return reply.code(401).send({ error: 'unauthorized', message: 'a key is needed', hint: 'Authorization: Bearer ttm_...' });
      if (!ROLE_CAN_VIEW[role]) return reply.code(403).send({ error: 'forbidden', message: `role ${role} lacks view_dashboards` });
    },
  });
  return app;
}
