/**
 * GET /overview: the forecast totals of the next weeks (the model's horizon, 26 by default) for
 * vendas and faturamento, in all and per UF, against the same calendar weeks a year (52 weeks)
 * earlier, with the 90% band; plus which model made them.
 *
 * The band of a total (and of each weekly total in the chart) is a split-conformal interval of
 * that total from the model's relative errors on the same group's totals at the last 26 backtest
 * origins (total-band.ts says how and why; total-band-job.ts computes it in a background thread,
 * once per model and dataset). It is not the sum of the series' bounds: a sum of quantiles is not
 * the quantile of the sum. Until the backtest is done the bounds are null and `band.state` is
 * 'computing'; with too little data they stay null and `band.reason` says why.
 *
 * Caveat, also in the response (`band.held_out_share`) and docs/dashboard.md: the served model
 * was usually trained on the backtest's weeks, so its errors there are in-sample and the band may
 * be narrower than the model's errors on the coming weeks.
 */
import { z } from 'zod';
import { formatDay, parseDay, seriesId, type WeeklyDataset } from '../../data/index.js';
import type { PredictResult } from '../../predict/index.js';
import type { ActiveModel } from './deps.js';
import { ALL_SERIES, BAND_METHOD, bandAround, ufGroup, type BandQuantiles } from './total-band.js';
import type { BandStatus } from './total-band-job.js';
import { ufLabel } from './uf.js';

/** A year in weeks: the "same weeks last year" are 52 weeks before. */
export const WEEKS_PER_YEAR = 52;

const Figure = z.object({
  forecast: z.number(),
  lower: z.number().nullable().describe('null while the band is computed or when there is none (see band)'),
  upper: z.number().nullable(),
  last_year: z.number().nullable().describe('actuals of the same weeks a year earlier; null when the data does not reach back'),
  change: z.number().nullable().describe('forecast / last_year - 1, a fraction'),
});

export const ModelInfoSchema = z.object({
  version: z.string(),
  trained_at: z.string().nullable(),
  trained_through: z.string().describe('last week of the data the model was trained on'),
});

export const BandInfoSchema = z.object({
  method: z.literal(BAND_METHOD).describe("split-conformal interval of each total from the model's relative errors on the same totals at rolling backtest origins"),
  state: z.enum(['computing', 'ready', 'unavailable']).describe('computing: the backtest runs in the background, the bounds are null until it is done'),
  reason: z.string().nullable().describe('why there is no band (state unavailable)'),
  origins: z.array(z.string()).describe("the backtest origins' first forecast weeks, oldest first (empty until ready)"),
  held_out_share: z.number().nullable().describe("share of the backtest's forecast weeks after the model's training data (0: all in-sample, the band may be too narrow)"),
  started_at: z.string().describe('when the backtest started (ISO): on the first overview of this model, or right after the hot swap that made it active'),
});

export const OverviewSchema = z.object({
  model: ModelInfoSchema,
  band: BandInfoSchema,
  series: z.number().int().describe('series in the totals'),
  skipped: z.number().int().describe('series left out of the totals (too short to forecast, data ending early, or no future covariates)'),
  left_out: z
    .array(z.object({ produto_id: z.number(), regiao_id: z.number(), reason: z.string() }))
    .describe('the series the model could not forecast and why (e.g. a covariate model without their forecast weeks\' values: send them with ttm serve --future FILE)'),
  level: z.number(),
  horizon: z.number().int(),
  dates: z.array(z.string()).describe('forecast weeks'),
  last_year_dates: z.array(z.string()),
  channels: z.record(
    z.string(),
    z.object({
      total: Figure,
      by_uf: z.array(Figure.extend({ regiao: z.number(), uf: z.string() })),
      weekly: z.object({ forecast: z.array(z.number()), lower: z.array(z.number().nullable()), upper: z.array(z.number().nullable()), last_year: z.array(z.number().nullable()) }),
    }),
  ),
});
export type Overview = z.infer<typeof OverviewSchema>;

export function modelInfo(m: ActiveModel): z.infer<typeof ModelInfoSchema> {
  return { version: m.version, trained_at: m.trained_at, trained_through: m.forecaster.meta.trained_through };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** JSON has no Infinity: an unbounded interval side is null. */
export const finite = (x: number) => (Number.isFinite(x) ? x : null);

const firstForecastWeek = (ds: WeeklyDataset) => formatDay(ds.firstWeek + 7 * ds.weeks);

/** A forecast the totals sum, with its series' index in the dataset. */
export interface CurrentForecast {
  prediction: PredictResult['predictions'][number];
  series: number;
}

/** The forecasts the totals sum: those whose forecast starts after the data's last week (their weeks are the overview's dates). */
export function currentForecasts(ds: WeeklyDataset, r: PredictResult): CurrentForecast[] {
  const index = new Map(ds.series.map((s, i) => [seriesId(s), i]));
  return r.predictions.filter((p) => p.dates[0] === firstForecastWeek(ds)).map((prediction) => ({ prediction, series: index.get(seriesId(prediction))! }));
}

/** Share of the backtest's target weeks (each origin's H weeks) after the model's last training week. */
function heldOutShare(origins: readonly string[], H: number, trainedThrough: string): number {
  let after = 0;
  for (const o of origins) for (let h = 0; h < H; h++) if (formatDay(parseDay(o)! + 7 * h) > trainedThrough) after++;
  return origins.length ? after / (origins.length * H) : NaN;
}

/**
 * The overview of forecasts `r` (every series of `ds`, one level) made by model `m`, with the
 * band's status; `current` is currentForecasts(ds, r) (the caller also needs it for the band).
 */
export function buildOverview(ds: WeeklyDataset, r: PredictResult, m: ActiveModel, level: number, band: BandStatus, current = currentForecasts(ds, r)): Overview {
  const H = r.horizon;
  const dates = Array.from({ length: H }, (_, h) => formatDay(ds.firstWeek + 7 * (ds.weeks + h)));
  const ready = band.state === 'ready' ? band.band : null;
  if (ready && ready.level !== level) throw new Error(`band at level ${ready.level}, overview at ${level}`);
  const quantiles = (group: string, c: number): BandQuantiles | null => ready?.quantiles.get(group)?.[c] ?? null;
  const regioes = [...new Set(current.map(({ prediction }) => prediction.regiao))].sort((a, b) => a - b);
  const channels: Overview['channels'] = {};
  r.channels.forEach((ch, c) => {
    const zero = () => new Array<number>(H).fill(0);
    const acc = (keep: (regiao: number) => boolean) => {
      const w = { forecast: zero(), last_year: zero() as (number | null)[] };
      for (const { prediction: p, series } of current) {
        if (!keep(p.regiao)) continue;
        const s = ds.series[series];
        for (let h = 0; h < H; h++) {
          w.forecast[h] += p.values[ch][h];
          const t = ds.weeks + h - WEEKS_PER_YEAR;
          if (t < 0) w.last_year[h] = null;
          else if (w.last_year[h] !== null && t >= s.start && t < s.start + s.length) w.last_year[h] = w.last_year[h]! + s.values[c][t - s.start];
        }
      }
      return w;
    };
    const figure = (w: ReturnType<typeof acc>, q: BandQuantiles | null) => {
      const forecast = sum(w.forecast);
      const last_year = w.last_year.includes(null) ? null : sum(w.last_year as number[]);
      return { forecast, ...bandAround(forecast, q?.total ?? NaN), last_year, change: last_year ? forecast / last_year - 1 : null };
    };
    const total = acc(() => true);
    const qAll = quantiles(ALL_SERIES, c);
    const weekly = total.forecast.map((f, h) => bandAround(f, qAll?.weekly[h] ?? NaN));
    channels[ch] = {
      total: figure(total, qAll),
      by_uf: regioes.map((regiao) => ({ regiao, uf: ufLabel(regiao), ...figure(acc((x) => x === regiao), quantiles(ufGroup(regiao), c)) })),
      weekly: { ...total, lower: weekly.map((b) => b.lower), upper: weekly.map((b) => b.upper) },
    };
  });
  return {
    model: modelInfo(m),
    band: {
      method: BAND_METHOD,
      state: band.state,
      reason: band.state === 'unavailable' ? band.reason : null,
      origins: ready?.origins ?? [],
      held_out_share: ready ? finite(heldOutShare(ready.origins, H, m.forecaster.meta.trained_through)) : null,
      started_at: band.startedAt,
    },
    series: current.length,
    skipped: ds.series.length - current.length,
    left_out: r.skipped.map((x) => ({ produto_id: x.key.produto, regiao_id: x.key.regiao, reason: x.reason })),
    level,
    horizon: H,
    dates,
    last_year_dates: dates.map((_, h) => formatDay(ds.firstWeek + 7 * (ds.weeks + h - WEEKS_PER_YEAR))),
    channels,
  };
}
