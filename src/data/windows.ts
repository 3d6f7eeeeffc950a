/**
 * Window batches as plain typed arrays (no tensors): the predict/train layers wrap them.
 * Produced lazily, one batch at a time, from a list of WindowRefs (window-refs.ts).
 */
import { DataError } from '../errors.js';
import type { Rng } from '../runtime/rng.js';
import { exogenousAt, exogenousCount } from './covariates.js';
import type { CovariateSpec } from './covariates.js';
import { scaleLookup } from './preprocessor.js';
import type { Preprocessor } from './preprocessor.js';
import type { Series, SeriesKey, WeeklyDataset } from './series.js';
import { buildVocab, encode } from './vocab.js';
import { formatDay } from './weeks.js';
import { windowShape } from './window-refs.js';
import type { WindowRef, WindowShape } from './window-refs.js';

/**
 * One batch; B = size, L = context, H = horizon, C = channels: the targets (vendas,
 * faturamento) first, then the exogenous channels of the preprocessor's covariate spec.
 */
export interface WindowBatch {
  size: number;
  context: number;
  horizon: number;
  channels: number;
  /** the first `targets` channels are the targets, the rest exogenous (absent: all are targets) */
  targets?: number;
  /** [B, L, C] (scaled when a preprocessor with standard scaling is given); 0 where unobserved */
  pastValues: Float32Array;
  /** [B, L, C], 1 = observed, 0 = gap or left padding */
  pastObservedMask: Float32Array;
  /** [B, H, C]; 0 where unobserved or beyond the series' end */
  futureValues: Float32Array;
  /** [B, H, C] */
  futureObservedMask: Float32Array;
  /** [B] uf index (the preprocessor's vocabulary; K = 1 static categorical) */
  staticCategorical: Int32Array;
  /** [B, C] per-window scaling used (mean 0, std 1 without preprocessor), to undo it */
  mean: Float32Array;
  std: Float32Array;
  keys: SeriesKey[];
  /** calendar week of each window's first horizon step, and its date */
  originWeeks: Int32Array;
  origins: string[];
}

export interface BatchOptions extends WindowShape {
  /** windows per batch (default 64); the last batch may be smaller */
  batchSize?: number;
  /** scales values and encodes uf; without it values are raw and uf indices come from the data's own vocabulary */
  preprocessor?: Preprocessor;
  /** shuffles the order of the refs (a copy) before batching */
  rng?: Rng;
  /**
   * Read the horizon's target values (default true: training and validation losses need them).
   * False for forecasting: the target channels of `futureValues` stay 0 with mask 0 and the
   * horizon's targets are never read, so no target of a forecast week can reach the model.
   */
  futureTargets?: boolean;
}

/** Yields batches of the windows `refs` in order (or shuffled with `rng`). */
export function* windowBatches(ds: WeeklyDataset, refs: readonly WindowRef[], options: BatchOptions = {}): Generator<WindowBatch> {
  const { L, H } = windowShape(options);
  const { batchSize = 64, preprocessor: pre, rng, futureTargets = true } = options;
  const order = rng ? rng.shuffle([...refs]) : refs;
  const scale = pre ? scaleLookup(pre) : undefined;
  const ufCodes = pre ? pre.vocab.regiao : buildVocab(ds.series).regiao;
  for (let at = 0; at < order.length; at += batchSize) {
    const slice = order.slice(at, at + batchSize);
    yield fillBatch(ds, slice, L, H, ufCodes, scale, pre?.covariates, futureTargets);
  }
}

function fillBatch(
  ds: WeeklyDataset,
  refs: readonly WindowRef[],
  L: number,
  H: number,
  ufCodes: readonly number[],
  scale: ReturnType<typeof scaleLookup> | undefined,
  spec: CovariateSpec | undefined,
  futureTargets: boolean,
): WindowBatch {
  const B = refs.length;
  const T = ds.channels.length;
  const E = exogenousCount(spec);
  const C = T + E;
  const b: WindowBatch = {
    size: B,
    context: L,
    horizon: H,
    channels: C,
    targets: T,
    pastValues: new Float32Array(B * L * C),
    pastObservedMask: new Float32Array(B * L * C),
    futureValues: new Float32Array(B * H * C),
    futureObservedMask: new Float32Array(B * H * C),
    staticCategorical: new Int32Array(B),
    mean: new Float32Array(B * C),
    std: new Float32Array(B * C).fill(1),
    keys: [],
    originWeeks: new Int32Array(B),
    origins: [],
  };
  refs.forEach((ref, i) => {
    const s = ds.series[ref.series];
    const stats = scale ? scale(s) : { mean: new Array<number>(T).fill(0), std: new Array<number>(T).fill(1) };
    for (let c = 0; c < T; c++) {
      b.mean[i * C + c] = stats.mean[c];
      b.std[i * C + c] = stats.std[c];
    }
    for (let e = 0; e < E; e++) {
      b.mean[i * C + T + e] = spec!.mean[e];
      b.std[i * C + T + e] = spec!.std[e];
    }
    b.staticCategorical[i] = encode(ufCodes, s.regiao, 'uf_cat');
    b.keys.push({ produto: s.produto, regiao: s.regiao });
    b.originWeeks[i] = ref.origin;
    b.origins.push(formatDay(ds.firstWeek + 7 * ref.origin));
    // past: weeks origin-L … origin-1 → [i, t, c]; future: origin … origin+H-1 → [i, h, c]
    copySteps(s, ref.origin - L - s.start, L, stats, b.pastValues, b.pastObservedMask, i * L * C, T, C);
    if (futureTargets) copySteps(s, ref.origin - s.start, H, stats, b.futureValues, b.futureObservedMask, i * H * C, T, C);
    if (spec) {
      copyExogenous(ds, s, spec, ref.origin - L, L, b.pastValues, b.pastObservedMask, i * L * C, T, C, false);
      copyExogenous(ds, s, spec, ref.origin, H, b.futureValues, b.futureObservedMask, i * H * C, T, C, true);
    }
  });
  return b;
}

/**
 * Exogenous channels of `n` weeks from calendar week `week`, scaled by the spec. In the context,
 * weeks before the series' first week are padding (0, mask 0); in the horizon (`required`) a
 * missing value is an error (predict checks first and names every series and week).
 */
function copyExogenous(
  ds: WeeklyDataset,
  s: Series,
  spec: CovariateSpec,
  week: number,
  n: number,
  values: Float32Array,
  mask: Float32Array,
  offset: number,
  T: number,
  C: number,
  required: boolean,
): void {
  const row: number[] = [];
  for (let t = 0; t < n; t++) {
    const pos = week + t - s.start;
    if (pos < 0) continue;
    const day = ds.firstWeek + 7 * (week + t);
    if (!exogenousAt(spec, s, pos, day, row)) {
      if (required) throw new DataError(`future covariates of produto ${s.produto} regiao ${s.regiao} are missing for the week ${formatDay(day)}`, { hint: 'pass --future FILE with the covariate columns for every forecast week' });
      continue;
    }
    for (let e = 0; e < row.length; e++) {
      values[offset + t * C + T + e] = (row[e] - spec.mean[e]) / spec.std[e];
      mask[offset + t * C + T + e] = 1;
    }
  }
}

/** Copies `n` steps of the T targets from series position `from` (may be out of range → left 0, mask 0). */
function copySteps(
  s: WeeklyDataset['series'][number],
  from: number,
  n: number,
  stats: { mean: number[]; std: number[] },
  values: Float32Array,
  mask: Float32Array,
  offset: number,
  T: number,
  C: number,
): void {
  for (let t = 0; t < n; t++) {
    const pos = from + t;
    if (pos < 0 || pos >= s.length || !s.observed[pos]) continue;
    for (let c = 0; c < T; c++) {
      values[offset + t * C + c] = (s.values[c][pos] - stats.mean[c]) / stats.std[c];
      mask[offset + t * C + c] = 1;
    }
  }
}
