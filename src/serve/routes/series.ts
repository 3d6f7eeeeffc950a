/** GET /series, GET /series/:produto/:regiao and its forecast as CSV (view_dashboards). */
import type { FastifyPluginAsync } from 'fastify';
import { seriesId } from '../../data/index.js';
import { DataError } from '../../errors.js';
import { findSeries, predictionsCsv } from '../../predict/index.js';
import type { ActiveModel, DashboardDeps } from '../dashboard/deps.js';
import { allForecasts, DASHBOARD_LEVEL } from '../dashboard/forecasts.js';
import { ErrorSchema } from '../schemas.js';
import { SeriesDetailSchema, seriesDetail, seriesList, SeriesListSchema, SeriesParamsSchema, SeriesQuerySchema } from '../dashboard/series-view.js';

type Params = { produto: number; regiao: number };
const VIEW = { access: 'view_dashboards', audit: 'data_access' } as const;

export const seriesRoutes: FastifyPluginAsync<DashboardDeps> = async (app, deps) => {
  const params = SeriesParamsSchema;
  const errors = { 404: ErrorSchema, 503: ErrorSchema };

  app.get('/series', { schema: { summary: 'the served series, for the explorer (view_dashboards)', response: { 200: SeriesListSchema } } as never, config: VIEW }, async (req) => {
    return deps.withModel(async (m) => {
      const ds = await deps.dataset(m.forecaster);
      // the page asks for this list first (at sign-in): start the forecasts its next request needs
      deps.withModel(async (held) => allForecasts(held.forecaster, await deps.dataset(held.forecaster))).catch((err) => req.log.warn({ err }, 'dashboard forecasts failed'));
      return seriesList(ds);
    });
  });

  /** The series and its forecast, or a 404 body naming what exists. */
  const lookup = (p: Params) => deps.withModel((m) => find(m, p));
  async function find(m: ActiveModel, p: Params) {
    const ds = await deps.dataset(m.forecaster);
    let i: number;
    try {
      i = findSeries(ds, p);
    } catch (err) {
      if (err instanceof DataError) return { missing: { error: 'not_found', message: err.message, hint: 'GET /series lists every series' } } as const;
      throw err;
    }
    const r = await allForecasts(m.forecaster, ds);
    const prediction = r.predictions.find((x) => seriesId(x) === seriesId(p));
    if (!prediction) {
      const why = r.skipped.find((x) => seriesId(x.key) === seriesId(p))?.reason ?? 'no forecast';
      return { missing: { error: 'not_found', message: `series produto ${p.produto} regiao ${p.regiao}: ${why}`, hint: 'choose another series' } } as const;
    }
    return { ds, m, s: ds.series[i], r, prediction } as const;
  }

  app.get<{ Params: Params; Querystring: { history: number } }>(
    '/series/:produto/:regiao',
    { schema: { summary: 'history, forecast and 90% interval of one series (view_dashboards)', params, querystring: SeriesQuerySchema, response: { 200: SeriesDetailSchema, ...errors } } as never, config: VIEW },
    async (req, reply) => {
      const found = await lookup(req.params);
      if ('missing' in found) return reply.code(404).send(found.missing);
      const { history } = req.query;
      return seriesDetail(found.ds, found.s, found.prediction, { weeks: history, level: DASHBOARD_LEVEL, version: found.m.version });
    },
  );

  app.get<{ Params: Params }>(
    '/series/:produto/:regiao/forecast.csv',
    { schema: { summary: "one series' forecast in ttm predict's CSV columns (view_dashboards)", params, response: errors } as never, config: VIEW },
    async (req, reply) => {
      const found = await lookup(req.params);
      if ('missing' in found) return reply.code(404).send(found.missing);
      const csv = predictionsCsv({ ...found.r, predictions: [found.prediction], skipped: [] });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="previsao-produto-${req.params.produto}-uf-${req.params.regiao}.csv"`)
        .send(csv);
    },
  );
};
