/** What a forward pass needs besides parameters and inputs. */
import * as tf from '@tensorflow/tfjs-core';
import type { TtmConfig } from './config.js';
import type { InferenceCache } from './inference-cache.js';

export interface ForwardContext {
  cfg: TtmConfig;
  /** Training mode: dropout active, BatchNorm uses batch statistics. */
  isTraining: boolean;
  /** Seed source for dropout masks (deterministic runs). */
  nextSeed?: () => number;
  /** Receives hidden states in the reference's order (only when asked for). */
  onHiddenState?: (t: tf.Tensor) => void;
  /** Receives named intermediate tensors for debugging (only when asked for). */
  onIntermediate?: (name: string, t: tf.Tensor) => void;
  /** The model's cached inference weights (prepareForInference); absent: plain weights. */
  inference?: InferenceCache;
}

/**
 * Dropout that is the identity outside training or at rate 0: zero with probability `rate`,
 * the rest scaled by 1/(1 − rate), as PyTorch does. The mask is drawn in plain JavaScript
 * (mulberry32): tf.dropout draws through seedrandom element by element plus four kernels, which
 * took 32 of 148 ms of a training step at batch 64 with the default dropout.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, ctx: ForwardContext): T {
  if (!ctx.isTraining || rate <= 0) return x;
  const mask = dropoutMask(x.size, rate, ctx.nextSeed?.() ?? Math.floor(Math.random() * 2 ** 31));
  return tf.mul(x, tf.tensor(mask, x.shape, 'float32')) as T;
}

/** n values: 0 with probability `rate`, else 1/(1 − rate); the same seed gives the same mask. */
export function dropoutMask(n: number, rate: number, seed: number): Float32Array {
  // mulberry32 (as runtime/rng.ts) inlined, in int32 arithmetic, and each 32-bit draw decides
  // two elements by its 16-bit halves: drawing is the cost (~8 ns per draw here). A 16-bit
  // threshold keeps the drop probability within 1.5e-5 of `rate`.
  const kept = 1 / (1 - rate);
  const threshold = Math.round(rate * 65536);
  const mask = new Float32Array(n);
  let state = seed | 0;
  for (let i = 0; i < n; i += 2) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t ^= t >>> 14;
    mask[i] = (t & 0xffff) < threshold ? 0 : kept;
    if (i + 1 < n) mask[i + 1] = t >>> 16 < threshold ? 0 : kept;
  }
  return mask;
}
