/**
 * Data-parallel training, the arithmetic part: split a window batch into shards, weigh each
 * shard by the loss elements it holds, and combine the shards' losses and gradients into those
 * of the whole batch. The loss is a mean over observed target elements, so the batch gradient is
 * Σ_j (n_j / N)·∇loss_j with n_j the shard's observed count: exact, not an approximation.
 */
import type { WindowBatch } from '../data/index.js';

/** Rows [start, start + size) of a batch; typed arrays are views, not copies. */
export function sliceBatch(b: WindowBatch, start: number, size: number): WindowBatch {
  const rows = <T extends Float32Array | Int32Array>(a: T, perRow: number): T => a.subarray(start * perRow, (start + size) * perRow) as T;
  const { context: L, horizon: H, channels: C } = b;
  const out: WindowBatch = { ...b, size };
  out.pastValues = rows(b.pastValues, L * C);
  out.pastObservedMask = rows(b.pastObservedMask, L * C);
  out.futureValues = rows(b.futureValues, H * C);
  out.futureObservedMask = rows(b.futureObservedMask, H * C);
  out.staticCategorical = rows(b.staticCategorical, 1);
  out.mean = rows(b.mean, C);
  out.std = rows(b.std, C);
  out.keys = b.keys.slice(start, start + size);
  out.originWeeks = rows(b.originWeeks, 1);
  out.origins = b.origins.slice(start, start + size);
  return out;
}

/** Split into at most `parts` shards of near-equal size, in order; no shard is empty. */
export function shardBatch(b: WindowBatch, parts: number): WindowBatch[] {
  const n = Math.max(1, Math.min(parts, b.size));
  const shards: WindowBatch[] = [];
  let start = 0;
  for (let j = 0; j < n; j++) {
    const size = Math.floor(b.size / n) + (j < b.size % n ? 1 : 0);
    shards.push(sliceBatch(b, start, size));
    start += size;
  }
  return shards;
}

/**
 * Observed target elements of a shard as the loss counts them: the first `outputHorizon` steps
 * of the forecast channels where the future mask is non-zero.
 */
export function lossWeight(b: WindowBatch, outputHorizon: number, forecastChannels: readonly number[]): number {
  const { horizon: H, channels: C } = b;
  let n = 0;
  for (let w = 0; w < b.size; w++) {
    for (let h = 0; h < outputHorizon; h++) {
      const row = (w * H + h) * C;
      for (const c of forecastChannels) if (b.futureObservedMask[row + c] !== 0) n++;
    }
  }
  return n;
}

export interface ShardResult {
  loss: number;
  grads: Map<string, Float32Array>;
}

/** Σ_j w_j·x_j / Σ_j w_j for the losses and every gradient (all zero when no weight). */
export function combineShards(results: readonly ShardResult[], weights: readonly number[]): ShardResult {
  const total = weights.reduce((a, w) => a + w, 0);
  const share = weights.map((w) => (total > 0 ? w / total : 0));
  const loss = results.reduce((a, r, j) => a + share[j] * r.loss, 0);
  const grads = new Map<string, Float32Array>();
  for (const [name, first] of results[0].grads) {
    const sum = new Float32Array(first.length);
    results.forEach((r, j) => {
      const g = r.grads.get(name);
      if (!g) throw new Error(`shard ${j} has no gradient for ${name}`);
      const s = share[j];
      for (let i = 0; i < sum.length; i++) sum[i] += s * g[i];
    });
    grads.set(name, sum);
  }
  return { loss, grads };
}
