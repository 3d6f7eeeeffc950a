/**
 * Classical baselines that forecast H weeks of one channel from its history, as the dunnhumby
 * benchmark's numpy baselines do (baselines.json methods snaive52, naive, mean52), plus the
 * median of the last 13 weeks as a robust reference. Every forecast is clipped at 0: the channels
 * (vendas, faturamento) are never negative.
 */
import { DataError } from '../errors.js';
import { SEASON, type Values } from './metrics.js';

/** history (oldest first) and horizon H → H forecasts. */
export type Baseline = (history: Values, horizon: number) => Float64Array;

function requireHistory(history: Values, needed: number, method: string): void {
  if (history.length < needed) {
    throw new DataError(`${method}: history has ${history.length} weeks, needs at least ${needed}`, {
      hint: 'use a longer history or the naive baseline',
    });
  }
}

function constant(value: number, horizon: number): Float64Array {
  return new Float64Array(horizon).fill(Math.max(0, value));
}

/** Seasonal naive: the value one season earlier, the last season repeated beyond H > season. */
export function seasonalNaive(history: Values, horizon: number, season = SEASON): Float64Array {
  requireHistory(history, season, `seasonal naive ${season}`);
  const start = history.length - season;
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) out[h] = Math.max(0, history[start + (h % season)]);
  return out;
}

/** Naive: the last value. */
export function naive(history: Values, horizon: number): Float64Array {
  requireHistory(history, 1, 'naive');
  return constant(history[history.length - 1], horizon);
}

/** Mean of the last `window` weeks (all of them when the history is shorter). */
export function meanLast(history: Values, horizon: number, window = SEASON): Float64Array {
  requireHistory(history, 1, `mean of last ${window}`);
  const from = Math.max(0, history.length - window);
  let s = 0;
  for (let t = from; t < history.length; t++) s += history[t];
  return constant(s / (history.length - from), horizon);
}

/** Median of the last `window` weeks (all of them when the history is shorter). */
export function medianLast(history: Values, horizon: number, window = 13): Float64Array {
  requireHistory(history, 1, `median of last ${window}`);
  const from = Math.max(0, history.length - window);
  const tail = new Float64Array(history.length - from);
  for (let t = from; t < history.length; t++) tail[t - from] = history[t];
  tail.sort(); // numeric for typed arrays
  const m = tail.length >> 1;
  return constant(tail.length % 2 ? tail[m] : (tail[m - 1] + tail[m]) / 2, horizon);
}

/** The baselines by the names baselines.json uses (median13 is ours). */
export const BASELINES = {
  snaive52: (history: Values, horizon: number) => seasonalNaive(history, horizon, 52),
  naive,
  mean52: (history: Values, horizon: number) => meanLast(history, horizon, 52),
  median13: (history: Values, horizon: number) => medianLast(history, horizon, 13),
} satisfies Record<string, Baseline>;

export type BaselineName = keyof typeof BASELINES;
