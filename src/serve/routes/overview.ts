/** GET /overview: forecast totals vs last year, per UF, with the 90% band (view_dashboards). */
import type { FastifyPluginAsync } from 'fastify';
import type { DashboardDeps } from '../dashboard/deps.js';
import { allForecasts, DASHBOARD_LEVEL } from '../dashboard/forecasts.js';
import { buildOverview, OverviewSchema } from '../dashboard/overview.js';

export const overviewRoutes: FastifyPluginAsync<DashboardDeps> = async (app, deps) => {
  app.addHook('preHandler', deps.requireViewDashboards);
  app.get('/overview', { schema: { response: { 200: OverviewSchema } } as never }, async () => {
    const ds = deps.dataset();
    return deps.withModel(async (m) => buildOverview(ds, await allForecasts(m.forecaster, ds), m, DASHBOARD_LEVEL));
  });
};
