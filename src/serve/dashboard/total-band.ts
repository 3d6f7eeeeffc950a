/**
 * The 90% band of a total of many series' forecasts (the overview's totals, all series and per
 * UF), from the model's own errors on the same totals in a rolling-origin backtest.
 *
 * Why not from the series' intervals: a sum of per-series quantiles is not a quantile of the sum,
 * and the errors of series in one UF are correlated in ways nothing stored per series captures.
 * So the group's total is scored as a whole: at each backtest origin o (the forecast week after
 * the history the model sees) F_o = Σ forecasts and A_o = Σ actuals over the group's series and
 * the horizon's weeks, and the score is the relative error |A_o − F_o| / F_o (scale-free, so it
 * transfers to today's total, which may be larger or smaller). With q the split-conformal
 * quantile of the n scores at the level (the k-th smallest, k = ceil((n + 1)·level)), the band of
 * today's total F is F·(1 − q) … F·(1 + q), the lower side clipped at 0. With fewer origins than
 * the level needs (k > n: 9 for 90%) there is no band.
 *
 * The weekly chart gets the same for the weekly total at each forecast step h, pooled over the
 * steps as conformal.ts pools its own: each step's n scores divided by a smooth step profile
 * g(h) = a·h^β fitted through the steps' medians (stepProfile, so a band may widen with the lead
 * time, never shrink), one quantile q of all n·H of them, and q·g(h) at step h. Why not a
 * quantile per step: each step's n scores fall on n consecutive calendar weeks, so a step whose
 * weeks hold the retail peaks got a wide band and a step whose weeks missed them a narrow one. On
 * the demo data (model trained with --holdout 26, band at the cut, docs/dashboard.md) the steps'
 * own quantiles ran from 7% to 83% of the weekly total, narrowest exactly on the held-out peak
 * weeks, and held 23 of the 26 held-out weekly totals of vendas; pooled: 31% every week, 24 of 26.
 *
 * What the guarantee rests on, honestly: conformal coverage needs the scores to be exchangeable
 * with today's. The origins overlap (consecutive origins share H − 1 of their H weeks), so the n
 * scores are far from independent, and the served model was usually trained on those weeks, so
 * its backtest errors are in-sample and likely smaller than its errors on new weeks: the band can
 * be too narrow. The coverage check in docs/dashboard.md measures it.
 */
import type { WeeklyDataset, WindowRef } from '../../data/index.js';
import { conformalRank, finiteSampleQuantile, poolOverSteps } from '../../predict/index.js';

/** What the band is, as the API says it (band_method). */
export const BAND_METHOD = 'conformal_relative_error_of_totals_rolling_origin';

/** The group of every series, and the group of one UF's series. */
export const ALL_SERIES = 'all';
export const ufGroup = (regiao: number): string => `regiao:${regiao}`;

/** One backtest origin of one group and channel: the group's summed forecasts and actuals per step. */
export interface OriginTotals {
  forecast: ArrayLike<number>;
  actual: ArrayLike<number>;
}

/** The relative half-widths of a group's band: total of the horizon and each step's weekly total. */
export interface BandQuantiles {
  /** q of the horizon's total; Infinity when there are too few origins for the level */
  total: number;
  /** q of each step's weekly total */
  weekly: number[];
  /** origins the quantiles rest on */
  origins: number;
}

/** |A − F| / F; 0 when both are 0, Infinity when only the forecast is 0. */
export function relativeError(actual: number, forecast: number): number {
  const e = Math.abs(actual - forecast);
  if (forecast > 0) return e / forecast;
  return e === 0 ? 0 : Infinity;
}

/** Fewest scores the split-conformal quantile at `level` needs: ceil((n + 1)·level) ≤ n. */
export function minOriginsFor(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level ${level} is not between 0 and 1`);
  let n = 1;
  while (conformalRank(n, level) > n) n++;
  return n;
}

const sum = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};
const ascending = (xs: number[]) => xs.sort((a, b) => a - b);

/** The conformal quantiles of one group and channel from its origins' totals (the file comment says how). */
export function bandQuantiles(origins: readonly OriginTotals[], level: number): BandQuantiles {
  const H = origins[0]?.forecast.length ?? 0;
  const total = finiteSampleQuantile(ascending(origins.map((o) => relativeError(sum(o.actual), sum(o.forecast)))), level);
  const byStep = Array.from({ length: H }, (_, h) => origins.map((o) => relativeError(o.actual[h], o.forecast[h])));
  const none = { total, weekly: byStep.map(() => Infinity), origins: origins.length };
  // too few origins for the level: no weekly band either (pooling the steps must not hide it)
  if (origins.length < minOriginsFor(level)) return none;
  const { profile, pooled } = poolOverSteps(byStep);
  if (!profile.every(Number.isFinite)) return none; // a zero forecast missed
  const q = finiteSampleQuantile(pooled, level);
  return { total, weekly: profile.map((g) => q * g), origins: origins.length };
}

/** Band F·(1 ∓ q) around forecast F, the lower side clipped at 0; both sides null without a finite q. */
export function bandAround(forecast: number, q: number): { lower: number | null; upper: number | null } {
  if (!Number.isFinite(q) || !Number.isFinite(forecast)) return { lower: null, upper: null };
  return { lower: Math.max(0, forecast * (1 - q)), upper: forecast * (1 + q) };
}

/**
 * Sums backtest windows per group, origin and channel. `forecasts[i]` is window `refs[i]`'s
 * forecast, [H', C] row-major (H' ≥ H); the actuals are the data's weeks after the origin (the
 * windows must lie inside their series, as backtestWindows makes them). `groupsOf(series)` names
 * the groups a series counts in. Result: group → channel → one entry per origin, oldest first.
 */
export function groupOriginTotals(
  ds: WeeklyDataset,
  refs: readonly WindowRef[],
  forecasts: readonly ArrayLike<number>[],
  H: number,
  groupsOf: (series: number) => readonly string[],
): Map<string, OriginTotals[][]> {
  const C = ds.channels.length;
  const at = new Map<string, Map<number, { forecast: Float64Array; actual: Float64Array }[]>>();
  refs.forEach((r, i) => {
    const s = ds.series[r.series];
    const t0 = r.origin - s.start;
    if (t0 < 0 || t0 + H > s.length) throw new RangeError(`window ${i} (series ${r.series}, origin ${r.origin}) does not lie inside its series`);
    for (const g of groupsOf(r.series)) {
      let byOrigin = at.get(g);
      if (!byOrigin) at.set(g, (byOrigin = new Map()));
      let row = byOrigin.get(r.origin);
      if (!row) byOrigin.set(r.origin, (row = ds.channels.map(() => ({ forecast: new Float64Array(H), actual: new Float64Array(H) }))));
      for (let c = 0; c < C; c++) {
        for (let h = 0; h < H; h++) {
          row[c].forecast[h] += forecasts[i][h * C + c];
          row[c].actual[h] += s.values[c][t0 + h];
        }
      }
    }
  });
  const out = new Map<string, OriginTotals[][]>();
  for (const [g, byOrigin] of at) {
    const rows = [...byOrigin.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
    out.set(g, ds.channels.map((_, c) => rows.map((row) => row[c])));
  }
  return out;
}
