/** GET /overview: forecast totals vs last year, per UF, with the 90% band of each total (view_dashboards). */
import type { FastifyPluginAsync } from 'fastify';
import type { ActiveModel, DashboardDeps } from '../dashboard/deps.js';
import { allForecasts, DASHBOARD_LEVEL } from '../dashboard/forecasts.js';
import { buildOverview, currentForecasts, OverviewSchema } from '../dashboard/overview.js';
import { ErrorSchema } from '../schemas.js';

export const overviewRoutes: FastifyPluginAsync<DashboardDeps> = async (app, deps) => {
  const overview = async (m: ActiveModel) => {
    const ds = await deps.dataset(m.forecaster);
    const r = await allForecasts(m.forecaster, ds);
    const current = currentForecasts(ds, r);
    // the band's backtest starts with the first request and runs in the background; until it is done the bounds are null
    const band = deps.bands.status(m, ds, current.map((c) => c.series), DASHBOARD_LEVEL);
    return buildOverview(ds, r, m, DASHBOARD_LEVEL, band, current);
  };
  app.get('/overview', { schema: { summary: 'forecast totals of the next weeks against the same weeks last year, per UF (view_dashboards)', response: { 200: OverviewSchema, 503: ErrorSchema } } as never, config: { access: 'view_dashboards', audit: 'data_access' } }, async () =>
    deps.withModel(overview),
  );
  // A hot swap, once the overview has been looked at: the new model's forecasts and band start at
  // once (off this turn of the event loop), so the next look finds them ready or under way.
  app.ttm.onSwap(() => {
    if (!deps.bands.used) return;
    setImmediate(() => {
      deps.withModel(overview).catch((err: unknown) => app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'overview not computed after the swap'));
    });
  });
};
