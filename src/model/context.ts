/** What a forward pass needs besides parameters and inputs. */
import * as tf from '@tensorflow/tfjs-core';
import type { TtmConfig } from './config.js';

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
}

/** Dropout that is the identity outside training or at rate 0. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, ctx: ForwardContext): T {
  if (!ctx.isTraining || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, ctx.nextSeed?.()) as T;
}
