import * as tf from '@tensorflow/tfjs-core';
import { initLinear, linear, type LinearParams } from './linear.js';
import type { InferenceCache } from './inference-cache.js';
import type { Initializer } from './init.js';

export interface GateParams {
  attnLayer: LinearParams;
}

export function initGate(size: number, init: Initializer): GateParams {
  return { attnLayer: initLinear(size, size, init.uniform) };
}

/** Gated attention: x ⊙ softmax(x·Wᵀ + b) over the last axis. x [..., n] → same shape */
export function gate<T extends tf.Tensor>(p: GateParams, x: T, cache?: InferenceCache): T {
  return tf.mul(x, tf.softmax(linear(p.attnLayer, x, cache))) as T;
}
