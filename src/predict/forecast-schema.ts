/**
 * The JSON shape of a forecast, shared by every front end: `ttm predict --json` prints one
 * `PredictDocument` (a `SeriesForecast` per series), the server's `/predict` answers with one
 * `ForecastResponse` (= `SeriesForecast`). snake_case keys; interval levels are fractions.
 *
 *   { "predictions": { "vendas": [ { "date": "2024-01-01", "value": 12.5, "lower": 8.1, "upper": 17.9 }, … ],
 *                      "faturamento": [ … ] },
 *     "metadata": { "produto_id": 12, "regiao_id": 3, "horizon": 26, "last_week": "2023-12-25",
 *                   "interval_levels": [0.9], "model_version": "v0002" } }
 *
 * `lower`/`upper` are the bounds at the first interval level (absent without intervals; `upper`
 * is null when the calibration is too small for the level). With more than one level,
 * `intervals` lists every level's bounds, first level included.
 */
import { z } from 'zod';
import type { PredictResult, SeriesPrediction } from './predict-run.js';
import { levelName } from './predict-run.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('week start date, YYYY-MM-DD');
const bound = z.number().nullable().describe('null: unbounded (too few calibration windows for the level)');

export const IntervalBoundsSchema = z.object({
  level: z.number().gt(0).lt(1).describe('interval level as a fraction, e.g. 0.9'),
  lower: z.number(),
  upper: bound,
});

export const ForecastPointSchema = z.object({
  date: day,
  value: z.number().nonnegative().describe('point forecast in original units'),
  lower: z.number().optional().describe("lower bound at metadata.interval_levels[0]"),
  upper: bound.optional().describe('upper bound at metadata.interval_levels[0]'),
  intervals: z.array(IntervalBoundsSchema).optional().describe('every level, when more than one was asked'),
});

export const ForecastMetadataSchema = z.object({
  produto_id: z.number().int().describe("the series' produto_cat value"),
  regiao_id: z.number().int().describe("the series' uf_cat value"),
  horizon: z.number().int().positive().describe('weeks forecast'),
  last_week: day.describe("date of the series' last week with data"),
  interval_levels: z.array(z.number().gt(0).lt(1)).describe('levels of the bounds, fractions; empty: no intervals'),
  model_version: z.string().optional().describe('registry version of the model that answered'),
});

/** One series' forecast: per channel (vendas, faturamento) one point per week. */
export const SeriesForecastSchema = z.object({
  predictions: z.record(z.string(), z.array(ForecastPointSchema)).describe('channel -> one point per forecast week'),
  metadata: ForecastMetadataSchema,
});

/** What `/predict` returns: one series' forecast. */
export const ForecastResponseSchema = SeriesForecastSchema;

export const SkippedSeriesSchema = z.object({
  produto_id: z.number().int(),
  regiao_id: z.number().int(),
  reason: z.string(),
});

/** What `ttm predict --json` prints. */
export const PredictDocumentSchema = z.object({
  backend: z.string(),
  model: z.string(),
  data: z.string(),
  horizon: z.number().int().positive(),
  interval_levels: z.array(z.number().gt(0).lt(1)),
  series: z.array(SeriesForecastSchema),
  skipped: z.array(SkippedSeriesSchema).describe('series an --all run left out, with the reason'),
  seconds: z.number().nonnegative(),
  model_seconds: z.number().nonnegative(),
});

export type ForecastPoint = z.infer<typeof ForecastPointSchema>;
export type SeriesForecast = z.infer<typeof SeriesForecastSchema>;
export type ForecastResponse = z.infer<typeof ForecastResponseSchema>;
export type PredictDocument = z.infer<typeof PredictDocumentSchema>;

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** One prediction of `predictSeries` as a `SeriesForecast` (`model_version` when known). */
export function seriesForecast(r: Pick<PredictResult, 'channels' | 'levels' | 'horizon'>, p: SeriesPrediction, extra: { model_version?: string } = {}): SeriesForecast {
  const names = r.levels.map(levelName);
  const predictions: SeriesForecast['predictions'] = {};
  for (const ch of r.channels) {
    predictions[ch] = p.dates.map((date, h) => {
      const point: ForecastPoint = { date, value: p.values[ch][h] };
      if (names.length > 0) {
        const first = p.intervals[names[0]][ch];
        point.lower = first.lo[h];
        point.upper = finiteOrNull(first.hi[h]);
      }
      if (names.length > 1) {
        point.intervals = r.levels.map((level, k) => ({ level, lower: p.intervals[names[k]][ch].lo[h], upper: finiteOrNull(p.intervals[names[k]][ch].hi[h]) }));
      }
      return point;
    });
  }
  const metadata = { produto_id: p.produto, regiao_id: p.regiao, horizon: r.horizon, last_week: p.lastWeek, interval_levels: [...r.levels], ...extra };
  return { predictions, metadata };
}

/** Every prediction of a `predictSeries` result, in order. */
export function forecastResponses(r: PredictResult, extra: { model_version?: string } = {}): SeriesForecast[] {
  return r.predictions.map((p) => seriesForecast(r, p, extra));
}

/** The document `ttm predict --json` prints. */
export function predictDocument(r: PredictResult, source: { backend: string; model: string; data: string }): PredictDocument {
  return {
    ...source,
    horizon: r.horizon,
    interval_levels: [...r.levels],
    series: forecastResponses(r),
    skipped: r.skipped.map((s) => ({ produto_id: s.key.produto, regiao_id: s.key.regiao, reason: s.reason })),
    seconds: r.seconds,
    model_seconds: r.modelSeconds,
  };
}
