/**
 * How many backtest origins can score anything: an origin needs a series with a season of
 * history before it and a full horizon after it. `ttm evaluate --origins N` beyond that is
 * clamped, with a warning naming the limit.
 */
import { seriesEnd, type WeeklyDataset } from '../data/index.js';
import { SEASON } from './metrics.js';

export function maxOrigins(ds: WeeklyDataset, o: { horizon: number; minHistory?: number }): number {
  const minHistory = o.minHistory ?? SEASON;
  const latest = ds.weeks - o.horizon;
  let earliest = Infinity;
  for (const s of ds.series) if (seriesEnd(s) - o.horizon + 1 >= s.start + minHistory) earliest = Math.min(earliest, s.start + minHistory);
  return Number.isFinite(earliest) ? Math.max(0, latest - earliest + 1) : 0;
}

/** What kind of evaluation a held-out share makes: the honest weekly check, or figures on weeks the model trained on. */
export function evaluationKind(heldOutShare: number): 'held_out' | 'in_sample' | 'partly_in_sample' {
  if (heldOutShare >= 1) return 'held_out';
  if (heldOutShare <= 0 || !Number.isFinite(heldOutShare)) return 'in_sample';
  return 'partly_in_sample';
}
