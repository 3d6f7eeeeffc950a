/**
 * The work behind /predict and /predict/batch: each request body → a series (served data by key,
 * or the inline history), checked, queued on the model version's micro-batcher, and the
 * forecast shaped as the REST response.
 */
import type { FastifyRequest } from 'fastify';
import { DataError } from '../errors.js';
import { CHANNELS, type WeeklyDataset } from '../data/index.js';
import { findSeries, seriesForecast, type SeriesForecast, type SeriesPrediction } from '../predict/index.js';
import type { ServeContext } from './context.js';
import { HttpError } from './http-error.js';
import type { LoadedModel, PredictItem } from './predictor.js';
import type { PredictRequest } from './schemas.js';
import { checkCovariateFields, checkFutureWeeks, covariateColumns, withFuture } from './future-input.js';
import { checkForecastable, historyDataset, type SeriesRef } from './series-input.js';

/** `data`: the served dataset as model `m` reads it (its covariate columns), or null. */
function seriesOf(data: WeeklyDataset | null, m: LoadedModel, body: PredictRequest): SeriesRef {
  if (body.history) return { ds: historyDataset(body, data?.weekStart ?? m.forecaster.preprocessor.weekStart, covariateColumns(m.forecaster)), index: 0 };
  if (!data) throw HttpError.notFound('this server holds no data to look series up in', 'send the series\' weekly history in "history"');
  try {
    return { ds: data, index: findSeries(data, { produto: body.produto_id, regiao: body.regiao_id }) };
  } catch (err) {
    if (err instanceof DataError) throw HttpError.notFound(err.message.replace(`${data.file}: `, ''), 'use a produto_id/regiao_id pair from the served data, or send "history"');
    throw err;
  }
}

function itemOf(data: WeeklyDataset | null, m: LoadedModel, body: PredictRequest): PredictItem {
  const horizon = body.horizon ?? m.horizon;
  if (horizon > m.horizon) {
    throw HttpError.badRequest(`horizon ${horizon}: model ${m.version} forecasts 1 … ${m.horizon} weeks`, [{ path: 'horizon', message: `an integer from 1 to ${m.horizon}` }]);
  }
  checkCovariateFields(body, m.forecaster, m.version);
  let ref = seriesOf(data, m, body);
  if (body.future) ref = withFuture(ref, body.future, covariateColumns(m.forecaster));
  checkForecastable(m.forecaster, ref);
  checkFutureWeeks(m.forecaster, ref, m.version);
  return { ref, horizon, levels: body.confidence_interval ? [...new Set(body.interval_levels)] : [] };
}

function response(m: LoadedModel, item: PredictItem, p: SeriesPrediction): SeriesForecast {
  return seriesForecast({ channels: [...CHANNELS], levels: item.levels, horizon: item.horizon }, p, { model_version: m.version });
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(503, 'timeout', `the model did not answer within ${ms} ms`, 'retry later')), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers every body (one model version for all); a body that cannot be answered gets its
 * HttpError in its place. Throws only when nothing can be answered (no model, timeout).
 */
export async function predictBodies(ctx: ServeContext, req: FastifyRequest, bodies: PredictRequest[]): Promise<{ model: string; out: (SeriesForecast | HttpError)[] }> {
  const versions = [...new Set(bodies.map((b) => b.model_version).filter((v) => v !== undefined))];
  if (versions.length > 1) throw HttpError.badRequest(`one model_version per batch (got ${versions.join(', ')})`, [{ path: 'items', message: 'the same model_version in every item' }]);
  const m = await ctx.pool.acquire(versions[0]);
  let work: Promise<unknown> | null = null;
  try {
    const out: (SeriesForecast | HttpError)[] = [];
    const items: PredictItem[] = [];
    const slot: number[] = [];
    const data = ctx.data ? await ctx.data.forModel(m.forecaster) : null;
    bodies.forEach((b, k) => {
      try {
        items.push(itemOf(data, m, b));
        slot.push(k);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        out[k] = err;
      }
    });
    ctx.leaveArriving(req);
    if (items.length > 0) {
      const run = m.batcher.submit(items);
      work = run.catch(() => undefined);
      let forecasts: SeriesPrediction[];
      try {
        forecasts = await withTimeout(run, ctx.requestTimeoutMs);
      } catch (err) {
        if (err instanceof HttpError) throw err;
        req.log.error({ err }, 'model call failed');
        throw HttpError.unavailable(`the model could not answer: ${(err as Error).message}`, 'retry later');
      }
      forecasts.forEach((f, i) => {
        const k = slot[i];
        out[k] = response(m, items[i], f);
      });
      ctx.metrics.predictions.inc({ endpoint: req.routeOptions.url }, items.length);
    }
    return { model: m.version, out };
  } finally {
    if (work) void work.then(() => ctx.pool.release(m));
    else ctx.pool.release(m);
  }
}
