/**
 * Which windows exist. A window is a series and an `origin`: the calendar week of its first
 * horizon step; its context is weeks origin-L … origin-1, its targets origin … origin+H-1.
 * Refs are two integers each, so listing all of them is cheap; `windowBatches` fills the arrays.
 */
import { ConfigError } from '../errors.js';
import { seriesEnd } from './series.js';
import type { WeeklyDataset } from './series.js';

export interface WindowRef {
  /** index into ds.series */
  series: number;
  /** calendar week of the first horizon step */
  origin: number;
}

export interface WindowShape {
  /** L, weeks of context (default 104) */
  context?: number;
  /** H, weeks of horizon (default 26) */
  horizon?: number;
}

export interface WindowRefOptions extends WindowShape {
  /** weeks between consecutive origins of a series, counted back from the latest (default 1) */
  stride?: number;
  /**
   * Context weeks that must lie inside the series' span (default: all L). Lower it to use short
   * histories: the weeks before the series' first week are left-padded with value 0, mask 0.
   */
  minContextObserved?: number;
  /** every target week must be > targetsAfter (calendar week; default: no bound) */
  targetsAfter?: number;
  /** every target week must be <= targetsThrough (calendar week; default: no bound) */
  targetsThrough?: number;
  /** only these series (indices into ds.series; default all) */
  series?: readonly number[];
}

/** L and H with defaults, checked. */
export function windowShape(o: WindowShape = {}): { L: number; H: number } {
  const { context: L = 104, horizon: H = 26 } = o;
  if (!(Number.isInteger(L) && L > 0 && Number.isInteger(H) && H > 0)) {
    throw new ConfigError(`context and horizon must be whole numbers > 0 (got ${L}, ${H})`);
  }
  return { L, H };
}

/**
 * Windows whose whole horizon lies inside the series and inside (targetsAfter, targetsThrough],
 * with at least `minContextObserved` context weeks inside the series; in series order, then
 * origin order. Training: `{ targetsThrough: split.trainThrough }`. Validation:
 * `{ targetsAfter: split.trainThrough, targetsThrough: split.validationThrough }`.
 */
export function windowRefs(ds: WeeklyDataset, options: WindowRefOptions = {}): WindowRef[] {
  const { L, H } = windowShape(options);
  const { stride = 1, minContextObserved = L, targetsAfter = -Infinity, targetsThrough = Infinity } = options;
  if (!(Number.isInteger(stride) && stride > 0)) throw new ConfigError(`stride must be a whole number > 0 (got ${stride})`);
  if (!(Number.isInteger(minContextObserved) && minContextObserved >= 0 && minContextObserved <= L)) {
    throw new ConfigError(`minContextObserved must be a whole number in 0 … ${L} (got ${minContextObserved})`);
  }
  const refs: WindowRef[] = [];
  for (const i of options.series ?? ds.series.map((_, k) => k)) {
    const s = ds.series[i];
    const last = Math.min(seriesEnd(s), targetsThrough) - H + 1;
    const first = Math.max(s.start + minContextObserved, targetsAfter + 1);
    const origins: number[] = [];
    for (let o = last; o >= first; o -= stride) origins.push(o);
    for (let k = origins.length - 1; k >= 0; k--) refs.push({ series: i, origin: origins[k] });
  }
  return refs;
}

/**
 * One forecasting window per series: the context is the last L weeks up to `throughWeek`
 * (default: the series' own last week); the horizon is the H weeks after, with no targets.
 */
export function forecastRefs(ds: WeeklyDataset, options: { throughWeek?: number; series?: readonly number[] } = {}): WindowRef[] {
  const { throughWeek = Infinity } = options;
  return (options.series ?? ds.series.map((_, k) => k))
    .filter((i) => ds.series[i].start <= throughWeek)
    .map((i) => ({ series: i, origin: Math.min(seriesEnd(ds.series[i]), throughWeek) + 1 }));
}
