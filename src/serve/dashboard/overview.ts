/**
 * GET /overview: the forecast totals of the next weeks (the model's horizon, 26 by default) for
 * vendas and faturamento, in all and per UF, against the same calendar weeks a year (52 weeks)
 * earlier, with the 90% band; plus which model made them.
 *
 * The band of a total is the sum of the series' bounds: it holds every series' interval at once,
 * so it is wider than a 90% interval of the total would be. A sum of quantiles is not the
 * quantile of the sum (evaluate's per-UF panels leave the band out for that reason); a band from
 * the calibration residuals summed per total is still to be built.
 */
import { z } from 'zod';
import { formatDay, seriesId, type WeeklyDataset } from '../../data/index.js';
import { levelName, type PredictResult } from '../../predict/index.js';
import type { ActiveModel } from './deps.js';
import { ufLabel } from './uf.js';

/** A year in weeks: the "same weeks last year" are 52 weeks before. */
export const WEEKS_PER_YEAR = 52;

const Figure = z.object({
  forecast: z.number(),
  lower: z.number().nullable(),
  upper: z.number().nullable().describe('null when the calibration is too small for the level'),
  last_year: z.number().nullable().describe('actuals of the same weeks a year earlier; null when the data does not reach back'),
  change: z.number().nullable().describe('forecast / last_year - 1, a fraction'),
});

export const ModelInfoSchema = z.object({
  version: z.string(),
  trained_at: z.string().nullable(),
  trained_through: z.string().describe('last week of the data the model was trained on'),
});

export const OverviewSchema = z.object({
  model: ModelInfoSchema,
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

/** The overview of forecasts `r` (every series of `ds`, one level) made by model `m`. */
export function buildOverview(ds: WeeklyDataset, r: PredictResult, m: ActiveModel, level: number): Overview {
  const H = r.horizon;
  const dates = Array.from({ length: H }, (_, h) => formatDay(ds.firstWeek + 7 * (ds.weeks + h)));
  const at = new Map(dates.map((d, h) => [d, h]));
  const index = new Map(ds.series.map((s, i) => [seriesId(s), i]));
  const level_ = levelName(level);
  // only series whose forecast starts after the data's last week: their weeks are the dates above
  const current = r.predictions.filter((p) => p.dates[0] === dates[0]);
  const regioes = [...new Set(current.map((p) => p.regiao))].sort((a, b) => a - b);
  const channels: Overview['channels'] = {};
  r.channels.forEach((ch, c) => {
    const zero = () => new Array<number>(H).fill(0);
    const acc = (keep: (regiao: number) => boolean) => {
      const w = { forecast: zero(), lower: zero(), upper: zero(), last_year: zero() as (number | null)[] };
      for (const p of current) {
        if (!keep(p.regiao)) continue;
        const s = ds.series[index.get(seriesId(p))!];
        const iv = p.intervals[level_][ch];
        for (let h = 0; h < H; h++) {
          w.forecast[h] += p.values[ch][h];
          w.lower[h] += iv.lo[h];
          w.upper[h] += iv.hi[h];
          const t = ds.weeks + h - WEEKS_PER_YEAR;
          if (t < 0) w.last_year[h] = null;
          else if (w.last_year[h] !== null && t >= s.start && t < s.start + s.length) w.last_year[h] = w.last_year[h]! + s.values[c][t - s.start];
        }
      }
      return w;
    };
    const figure = (w: ReturnType<typeof acc>) => {
      const forecast = sum(w.forecast);
      const last_year = w.last_year.includes(null) ? null : sum(w.last_year as number[]);
      return { forecast, lower: finite(sum(w.lower)), upper: finite(sum(w.upper)), last_year, change: last_year ? forecast / last_year - 1 : null };
    };
    const total = acc(() => true);
    channels[ch] = {
      total: figure(total),
      by_uf: regioes.map((regiao) => ({ regiao, uf: ufLabel(regiao), ...figure(acc((x) => x === regiao)) })),
      weekly: { ...total, lower: total.lower.map(finite), upper: total.upper.map(finite) },
    };
  });
  return {
    model: modelInfo(m),
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
