/**
 * Input drift: the population stability index (PSI) of one channel's latest inputs against the
 * distribution the model was trained on.
 *
 * Training stores, per channel, `trainingStats(values)` of every training value of that channel
 * (all series, all training weeks): the decile edges of the values, the share of training values
 * in each bin (not exactly 10% when values tie, e.g. many zero-sales weeks, so it is counted, and
 * tied edges are merged), and the mean and count. Deciles are the usual PSI bins; being quantiles,
 * the bins are the same on the raw and on a log scale, so raw values are stored, which a reader
 * can check against the data. At evaluation, `drift(stats, latest)` bins the latest inputs (pass
 * the last context window of every series, the values the next forecasts read) and computes
 *
 *   PSI = Σ_bins (a - e) · ln(a / e)
 *
 * with e the training share and a the latest share, both floored at 1e-4 so an empty bin gives a
 * large but finite term. Conventional reading: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25
 * major shift. Non-finite values (missing weeks) are skipped. `meanShift` (latest mean / training
 * mean - 1) is reported beside it because it is what a person asks next: up or down, by how much.
 */
import { CheckpointError, DataError } from '../errors.js';
import type { Values } from './metrics.js';

/** What training stores per channel so evaluate can measure drift; plain JSON. */
export interface TrainingStats {
  /** Ascending inner bin edges; bin i holds edges[i-1] < x <= edges[i]. */
  edges: number[];
  /** Share of training values per bin (edges.length + 1 of them, summing to 1). */
  proportions: number[];
  mean: number;
  n: number;
}

export interface Drift {
  psi: number;
  /** latest mean / training mean - 1 (NaN when the training mean is 0). */
  meanShift: number;
  /** Latest values binned. */
  n: number;
}

const FLOOR = 1e-4;

function finiteSorted(values: Values): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return Float64Array.from(out).sort();
}

/** Linear-interpolation quantile of sorted values (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Index of the bin holding x: the first edge >= x (binary search). */
function binOf(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function shares(edges: readonly number[], sorted: Float64Array): number[] {
  const counts = new Array(edges.length + 1).fill(0);
  for (const x of sorted) counts[binOf(edges, x)]++;
  return counts.map((c) => c / sorted.length);
}

function mean(sorted: Float64Array): number {
  let s = 0;
  for (const x of sorted) s += x;
  return s / sorted.length;
}

/** The statistics training stores for one channel: decile edges and shares, mean, count. */
export function trainingStats(values: Values, bins = 10): TrainingStats {
  const sorted = finiteSorted(values);
  if (sorted.length === 0) throw new DataError('training statistics: no finite values');
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const e = quantile(sorted, i / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return { edges, proportions: shares(edges, sorted), mean: mean(sorted), n: sorted.length };
}

/** PSI of `latest` against the stored training statistics. */
export function psi(stats: TrainingStats, latest: Values): number {
  return drift(stats, latest).psi;
}

/** PSI and mean shift of `latest` against the stored training statistics. */
export function drift(stats: TrainingStats, latest: Values): Drift {
  const sorted = finiteSorted(latest);
  if (sorted.length === 0) return { psi: NaN, meanShift: NaN, n: 0 };
  const actual = shares(stats.edges, sorted);
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = Math.max(actual[i], FLOOR);
    const e = Math.max(stats.proportions[i], FLOOR);
    total += (a - e) * Math.log(a / e);
  }
  return { psi: total, meanShift: stats.mean !== 0 ? mean(sorted) / stats.mean - 1 : NaN, n: sorted.length };
}

/** Reads stored training statistics back, checking their shape; `source` names the file. */
export function trainingStatsFromJSON(json: unknown, source = 'training statistics'): TrainingStats {
  const bad = (what: string) =>
    new CheckpointError(`${source}: not training statistics (${what})`, { hint: 'retrain the model to store them' });
  const o = json as Partial<TrainingStats> | null;
  if (!o || typeof o !== 'object') throw bad('not an object');
  const { edges, proportions, mean: m, n } = o;
  if (!Array.isArray(edges) || !edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > edges[i - 1]))) {
    throw bad('edges is not an ascending array of numbers');
  }
  if (!Array.isArray(proportions) || proportions.length !== edges.length + 1 || !proportions.every((p) => p >= 0 && p <= 1)) {
    throw bad(`proportions is not ${edges.length + 1} shares between 0 and 1`);
  }
  if (!Number.isFinite(m) || !Number.isInteger(n) || (n as number) < 1) throw bad('mean or n missing');
  return { edges, proportions, mean: m as number, n: n as number };
}
