/**
 * Rolling-origin backtest without refit: the last N forecast origins of a dataset, every series
 * that has a full horizon of observed actuals after the origin and at least a season of history
 * before it.
 * The model's forecasts (made elsewhere, for exactly these windows) and the baselines seasonal
 * naive 52, naive and mean of the last 52 weeks, computed here on the same windows from the full
 * history before each origin, are scored with the same metrics (metrics.ts), per channel; plus
 * skill, interval coverage and the monitoring figures.
 *
 * Windows whose model forecast failed (null or not finite) count towards the error rate and are
 * left out of every method, so all rows of the report always cover the same points.
 */
import { formatDay, seriesEnd, type WeeklyDataset, type WindowRef } from '../data/index.js';
import { BASELINES } from './baselines.js';
import { conformalInterval, type ConformalCalibration } from '../predict/index.js';
import { coverage } from './coverage.js';
import { isPeakWeek } from './peaks.js';
import { metricSet, wape, SEASON, type MetricSet, type WindowForecast } from './metrics.js';
import { mapeByProduto, r2ByRegiao, rollingMae, type ForecastPoint } from './monitoring.js';
import { skillTable, type Skill } from './skill.js';

/** The baselines every backtest scores beside the model (baselines.json's names). */
export const BACKTEST_BASELINES = ['snaive52', 'naive', 'mean52'] as const;

export interface BacktestWindowOptions {
  /** how many origins, stepping back one week from the latest possible one */
  origins: number;
  /** H, weeks scored after each origin */
  horizon: number;
  /** weeks of history a series needs before an origin (default a season: seasonal naive needs it) */
  minHistory?: number;
}

/** Calendar week of each origin, oldest first: the latest is the one whose horizon ends at the data's last week. */
export function backtestOrigins(ds: WeeklyDataset, o: BacktestWindowOptions): number[] {
  const latest = ds.weeks - o.horizon;
  const out: number[] = [];
  for (let k = o.origins - 1; k >= 0; k--) if (latest - k >= 0) out.push(latest - k);
  return out;
}

/** Windows of the backtest, by origin then series: the whole horizon inside the series, enough history before. */
export function backtestWindows(ds: WeeklyDataset, o: BacktestWindowOptions): WindowRef[] {
  const minHistory = o.minHistory ?? SEASON;
  const refs: WindowRef[] = [];
  for (const origin of backtestOrigins(ds, o)) {
    ds.series.forEach((s, i) => {
      if (origin - s.start >= minHistory && origin + o.horizon - 1 <= seriesEnd(s) && isObserved(s.observed, origin - s.start, o.horizon)) {
        refs.push({ series: i, origin });
      }
    });
  }
  return refs;
}

/** Every target week observed (under `--missing gap` a gap has no actual to score). */
function isObserved(observed: Uint8Array, from: number, n: number): boolean {
  for (let t = from; t < from + n; t++) if (!observed[t]) return false;
  return true;
}

export interface BacktestInput {
  ds: WeeklyDataset;
  refs: readonly WindowRef[];
  horizon: number;
  /** per window [H', C] row-major (H' >= horizon), what the tool reports; null when it failed */
  forecasts: readonly (ArrayLike<number> | null)[];
  /** per window, the model alone (before the blend), for a second row; optional */
  modelOnly?: readonly (ArrayLike<number> | null)[];
  /** per channel conformal calibration, for interval coverage */
  calibration?: readonly ConformalCalibration[];
  /** interval levels to score (default 0.9) */
  levels?: readonly number[];
}

export interface IntervalScore {
  level: number;
  coverage: number;
  /** mean upper - lower, in the channel's units */
  meanWidth: number;
  nPoints: number;
  /** coverage at each horizon step (all origins' windows), step 1 first */
  coverage_by_step: number[];
}

export interface ChannelMonitoring {
  /** MAE over the last 4 weeks of target dates (all origins' points in those weeks) */
  rollingMae4w: number;
  rollingMae: { date: string; mae: number; nPoints: number }[];
  mapeByProduto: { produto: string | number; mape: number; nPoints: number }[];
  r2ByRegiao: { regiao: string | number; r2: number; nPoints: number }[];
}

export interface BacktestReport {
  /** origin dates (first target week), oldest first */
  origins: string[];
  horizon: number;
  channels: string[];
  windows: number;
  series: number;
  failedSeries: number;
  /** share of series with at least one failed forecast */
  errorRate: number;
  /** method → channel → metrics; methods: ttm, ttm_model_only (when given), the baselines */
  methods: Record<string, Record<string, MetricSet>>;
  /** channel → baseline → skill of ttm against it */
  skill: Record<string, Record<string, Skill>>;
  /** channel → intervals per level (empty without calibration) */
  intervals: Record<string, IntervalScore[]>;
  monitoring: Record<string, ChannelMonitoring>;
  /**
   * channel → method → WAPE over the points in retail peak weeks (Black Friday, the two weeks
   * before Christmas: peaks.ts), and how many points that is; NaN without any.
   */
  peak_weeks: Record<string, Record<string, { wape: number; n_points: number }>>;
}

const dateOf = (ds: WeeklyDataset, week: number) => formatDay(ds.firstWeek + 7 * week);

function isUsable(f: ArrayLike<number> | null, need: number): f is ArrayLike<number> {
  if (!f || f.length < need) return false;
  for (let i = 0; i < need; i++) if (!Number.isFinite(f[i])) return false;
  return true;
}

/** Channel c of a [H', C] row-major forecast, first H steps. */
function pick(f: ArrayLike<number>, c: number, C: number, H: number): Float64Array {
  return Float64Array.from({ length: H }, (_, h) => f[h * C + c]);
}

/** Scores the model and the baselines on the same windows (see the file comment). */
export function scoreBacktest(input: BacktestInput): BacktestReport {
  const { ds, refs, horizon: H, calibration, levels = [0.9] } = input;
  const C = ds.channels.length;
  const failed = new Set<number>();
  const kept: number[] = [];
  refs.forEach((r, i) => {
    if (isUsable(input.forecasts[i], H * C)) kept.push(i);
    else failed.add(r.series);
  });
  const allSeries = new Set(refs.map((r) => r.series));
  const methods: Record<string, Record<string, MetricSet>> = { ttm: {} };
  if (input.modelOnly) methods.ttm_model_only = {};
  for (const b of BACKTEST_BASELINES) methods[b] = {};
  const skill: Record<string, Record<string, Skill>> = {};
  const intervals: Record<string, IntervalScore[]> = {};
  const monitoring: Record<string, ChannelMonitoring> = {};
  const peakWeeks: BacktestReport['peak_weeks'] = {};

  ds.channels.forEach((channel, c) => {
    const base = kept.map((i) => {
      const r = refs[i];
      const s = ds.series[r.series];
      const at = r.origin - s.start;
      return { i, history: s.values[c].subarray(0, at), actual: s.values[c].slice(at, at + H) };
    });
    const model: WindowForecast[] = base.map((w) => ({ history: w.history, actual: w.actual, forecast: pick(input.forecasts[w.i]!, c, C, H) }));
    methods.ttm[channel] = metricSet(model);
    if (input.modelOnly) {
      const only = input.modelOnly;
      methods.ttm_model_only[channel] = metricSet(base.map((w) => ({ history: w.history, actual: w.actual, forecast: isUsable(only[w.i], H * C) ? pick(only[w.i]!, c, C, H) : new Float64Array(H) })));
    }
    const baselineSets: Record<string, MetricSet> = {};
    for (const b of BACKTEST_BASELINES) {
      baselineSets[b] = metricSet(base.map((w) => ({ history: w.history, actual: w.actual, forecast: BASELINES[b](w.history, H) })));
      methods[b][channel] = baselineSets[b];
    }
    skill[channel] = skillTable(methods.ttm[channel], baselineSets);
    intervals[channel] = calibration?.[c] ? levels.map((level) => intervalScore(calibration[c], model, level)) : [];
    monitoring[channel] = monitor(ds, refs, model, base.map((w) => w.i), H);
    const peak = base.map((w) => Array.from({ length: H }, (_, h) => isPeakWeek(ds.firstWeek + 7 * (refs[w.i].origin + h))));
    const peakWape = (forecast: (k: number) => ArrayLike<number>) => {
      const a: number[] = [];
      const f: number[] = [];
      base.forEach((w, k) => {
        const fk = forecast(k);
        for (let h = 0; h < H; h++) if (peak[k][h]) (a.push(w.actual[h]), f.push(fk[h]));
      });
      return { wape: a.length ? wape(a, f) : NaN, n_points: a.length };
    };
    peakWeeks[channel] = { ttm: peakWape((k) => model[k].forecast) };
    for (const b of BACKTEST_BASELINES) peakWeeks[channel][b] = peakWape((k) => BASELINES[b](base[k].history, H));
  });

  return {
    origins: [...new Set(refs.map((r) => r.origin))].sort((a, b) => a - b).map((w) => dateOf(ds, w)),
    horizon: H,
    channels: [...ds.channels],
    windows: kept.length,
    series: allSeries.size,
    failedSeries: failed.size,
    errorRate: allSeries.size ? failed.size / allSeries.size : NaN,
    methods,
    skill,
    intervals,
    monitoring,
    peak_weeks: peakWeeks,
  };
}

function intervalScore(cal: ConformalCalibration, windows: readonly WindowForecast[], level: number): IntervalScore {
  const actual: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  let width = 0;
  const H = windows[0]?.actual.length ?? 0;
  const hits = new Array<number>(H).fill(0);
  for (const w of windows) {
    const iv = conformalInterval(cal, w.forecast, w.history, level);
    for (let h = 0; h < w.actual.length; h++) {
      actual.push(w.actual[h]);
      lower.push(iv.lower[h]);
      upper.push(iv.upper[h]);
      width += iv.upper[h] - iv.lower[h];
      if (w.actual[h] >= iv.lower[h] && w.actual[h] <= iv.upper[h]) hits[h]++;
    }
  }
  return {
    level,
    coverage: coverage(actual, lower, upper),
    meanWidth: actual.length ? width / actual.length : NaN,
    nPoints: actual.length,
    coverage_by_step: hits.map((k) => k / windows.length),
  };
}

function monitor(ds: WeeklyDataset, refs: readonly WindowRef[], model: readonly WindowForecast[], idx: readonly number[], H: number): ChannelMonitoring {
  const points: ForecastPoint[] = [];
  model.forEach((w, k) => {
    const r = refs[idx[k]];
    const s = ds.series[r.series];
    for (let h = 0; h < H; h++) points.push({ date: dateOf(ds, r.origin + h), produto: s.produto, regiao: s.regiao, actual: w.actual[h], forecast: w.forecast[h] });
  });
  const rolling = points.length ? rollingMae(points, 4) : [];
  return {
    rollingMae4w: rolling.length ? rolling[rolling.length - 1].mae : NaN,
    rollingMae: rolling,
    mapeByProduto: mapeByProduto(points),
    r2ByRegiao: r2ByRegiao(points),
  };
}
