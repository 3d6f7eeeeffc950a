import * as tf from '@tensorflow/tfjs-core';
import { gelu } from './activation.js';
import { constant } from './constants.js';
import { dropout, type ForwardContext } from './context.js';
import { initLinear, linear, type LinearParams } from './linear.js';
import type { Initializer } from './init.js';

export interface MlpParams {
  fc1: LinearParams;
  fc2: LinearParams;
}

/** Hidden size = expansion × input size. */
export function initMlp(size: number, expansion: number, init: Initializer): MlpParams {
  return {
    fc1: initLinear(size, size * expansion, init.uniform),
    fc2: initLinear(size * expansion, size, init.uniform),
  };
}

/** fc2(dropout(gelu(fc1(x)))) then dropout, over the last axis. x [..., n] → [..., n] */
export function mlp<T extends tf.Tensor>(p: MlpParams, x: T, rate: number, ctx: ForwardContext): T {
  if (ctx.inference?.isFoldedMlp(p)) {
    // fc1 yields u = fc1(x)/√2 and fc2 takes its input ×1/√2 (inference-folds.ts)
    const u = linear(p.fc1, x, ctx.inference);
    const h = dropout(tf.mul(u, tf.add(constant(1), tf.erf(u))), rate, ctx);
    return dropout(linear(p.fc2, h, ctx.inference), rate, ctx) as T;
  }
  const h = dropout(gelu(linear(p.fc1, x, ctx.inference), ctx.isTraining), rate, ctx);
  return dropout(linear(p.fc2, h, ctx.inference), rate, ctx);
}
