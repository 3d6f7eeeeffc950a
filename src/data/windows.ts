/**
 * Window batches as plain typed arrays (no tensors): the predict/train layers wrap them.
 * Produced lazily, one batch at a time, from a list of WindowRefs (window-refs.ts).
 */
import type { Rng } from '../runtime/rng.js';
import { scaleLookup } from './preprocessor.js';
import type { Preprocessor } from './preprocessor.js';
import type { SeriesKey, WeeklyDataset } from './series.js';
import { buildVocab, encode } from './vocab.js';
import { formatDay } from './weeks.js';
import { windowShape } from './window-refs.js';
import type { WindowRef, WindowShape } from './window-refs.js';

/** One batch; B = size, L = context, H = horizon, C = channels. */
export interface WindowBatch {
  size: number;
  context: number;
  horizon: number;
  channels: number;
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
}

/** Yields batches of the windows `refs` in order (or shuffled with `rng`). */
export function* windowBatches(ds: WeeklyDataset, refs: readonly WindowRef[], options: BatchOptions = {}): Generator<WindowBatch> {
  const { L, H } = windowShape(options);
  const { batchSize = 64, preprocessor: pre, rng } = options;
  const order = rng ? rng.shuffle([...refs]) : refs;
  const scale = pre ? scaleLookup(pre) : undefined;
  const ufCodes = pre ? pre.vocab.regiao : buildVocab(ds.series).regiao;
  for (let at = 0; at < order.length; at += batchSize) {
    const slice = order.slice(at, at + batchSize);
    yield fillBatch(ds, slice, L, H, ufCodes, scale);
  }
}

function fillBatch(
  ds: WeeklyDataset,
  refs: readonly WindowRef[],
  L: number,
  H: number,
  ufCodes: readonly number[],
  scale: ReturnType<typeof scaleLookup> | undefined,
): WindowBatch {
  const B = refs.length;
  const C = ds.channels.length;
  const b: WindowBatch = {
    size: B,
    context: L,
    horizon: H,
    channels: C,
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
    const stats = scale ? scale(s) : { mean: new Array<number>(C).fill(0), std: new Array<number>(C).fill(1) };
    for (let c = 0; c < C; c++) {
      b.mean[i * C + c] = stats.mean[c];
      b.std[i * C + c] = stats.std[c];
    }
    b.staticCategorical[i] = encode(ufCodes, s.regiao, 'uf_cat');
    b.keys.push({ produto: s.produto, regiao: s.regiao });
    b.originWeeks[i] = ref.origin;
    b.origins.push(formatDay(ds.firstWeek + 7 * ref.origin));
    // past: weeks origin-L … origin-1 → [i, t, c]; future: origin … origin+H-1 → [i, h, c]
    copySteps(s, ref.origin - L - s.start, L, stats, b.pastValues, b.pastObservedMask, i * L * C, C);
    copySteps(s, ref.origin - s.start, H, stats, b.futureValues, b.futureObservedMask, i * H * C, C);
  });
  return b;
}

/** Copies `n` steps from series position `from` (may be out of range → left 0, mask 0). */
function copySteps(
  s: WeeklyDataset['series'][number],
  from: number,
  n: number,
  stats: { mean: number[]; std: number[] },
  values: Float32Array,
  mask: Float32Array,
  offset: number,
  C: number,
): void {
  for (let t = 0; t < n; t++) {
    const pos = from + t;
    if (pos < 0 || pos >= s.length || !s.observed[pos]) continue;
    for (let c = 0; c < C; c++) {
      values[offset + t * C + c] = (s.values[c][pos] - stats.mean[c]) / stats.std[c];
      mask[offset + t * C + c] = 1;
    }
  }
}
