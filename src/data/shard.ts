/**
 * Sharding: split a run over many series into N independent pieces (Kubernetes Indexed Job
 * pods, counted 0 … N-1 as JOB_COMPLETION_INDEX counts), deterministically. Shard k takes a
 * contiguous block of the series in the dataset's order (produto, then regiao): the blocks differ
 * in size by at most one, and read in shard order they give back the whole list in its order, so
 * the shards' outputs concatenate to the unsharded output.
 */
import { UsageError } from '../errors.js';
import type { WeeklyDataset } from './series.js';

export interface Shard {
  /** 0 … count-1 */
  index: number;
  count: number;
}

/** The half-open range [from, to) of positions 0 … total-1 that shard `s` takes. */
export function shardRange(total: number, s: Shard): { from: number; to: number } {
  checkShard(s);
  return { from: Math.floor((s.index * total) / s.count), to: Math.floor(((s.index + 1) * total) / s.count) };
}

/** The items of shard `s` (a contiguous block, in order). */
export function shardItems<T>(items: readonly T[], s: Shard): T[] {
  const { from, to } = shardRange(items.length, s);
  return items.slice(from, to);
}

/** The dataset restricted to the series of shard `s` (same calendar, same file). */
export function shardDataset(ds: WeeklyDataset, s: Shard): WeeklyDataset {
  return { ...ds, series: shardItems(ds.series, s) };
}

/** "2/7" → { index: 2, count: 7 }; `source` names the flag or variable in the error. */
export function parseShard(text: string, source = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`${source} ${text}: expected K/N, e.g. 0/3 (shard K of N, K counted from 0)`);
  return checkShard({ index: Number(m[1]), count: Number(m[2]) }, source);
}

/** Throws a UsageError unless 0 <= index < count. */
export function checkShard(s: Shard, source = 'shard'): Shard {
  if (!Number.isSafeInteger(s.count) || s.count < 1) throw new UsageError(`${source}: ${s.count} shards; expected a whole number >= 1`);
  if (!Number.isSafeInteger(s.index) || s.index < 0 || s.index >= s.count) {
    throw new UsageError(`${source}: shard ${s.index} of ${s.count}; expected 0 … ${s.count - 1} (counted from 0, as JOB_COMPLETION_INDEX)`);
  }
  return s;
}
