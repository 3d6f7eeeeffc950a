/**
 * The mixers' normalisation over the last (width) axis: LayerNorm, or BatchNorm with running
 * statistics in eval mode and batch statistics (plus a running-stat update) in training.
 */
import * as tf from '@tensorflow/tfjs-core';
import { constant } from './constants.js';
import { layerNormKernel } from './kernels/layer-norm.js';
import type { ForwardContext } from './context.js';

export interface LayerNormParams {
  norm: { weight: tf.Variable; bias: tf.Variable };
}
export interface BatchNormParams {
  norm: {
    batchnorm: {
      weight: tf.Variable;
      bias: tf.Variable;
      runningMean: tf.Variable;
      runningVar: tf.Variable;
      numBatchesTracked: tf.Variable;
    };
  };
}
export type NormParams = LayerNormParams | BatchNormParams;

export function initNorm(width: number, kind: string): NormParams {
  const ones = () => tf.variable(tf.ones([width]));
  const zeros = () => tf.variable(tf.zeros([width]));
  if (kind === 'BatchNorm') {
    return {
      norm: {
        batchnorm: {
          weight: ones(),
          bias: zeros(),
          runningMean: tf.variable(tf.zeros([width]), false),
          runningVar: tf.variable(tf.ones([width]), false),
          numBatchesTracked: tf.variable(tf.scalar(0, 'int32'), false),
        },
      },
    };
  }
  return { norm: { weight: ones(), bias: zeros() } };
}

/** x [..., d] → same shape */
export function norm<T extends tf.Tensor>(p: NormParams, x: T, ctx: ForwardContext): T {
  const eps = ctx.cfg.norm_eps;
  const axis = x.rank - 1;
  if ('batchnorm' in p.norm) {
    const bn = p.norm.batchnorm;
    if (!ctx.isTraining) {
      const inv = tf.rsqrt(tf.add(bn.runningVar, eps));
      return tf.add(tf.mul(tf.mul(tf.sub(x, bn.runningMean), inv), bn.weight), bn.bias) as T;
    }
    const flat = tf.reshape(x, [-1, x.shape[axis]]);
    const mean = tf.mean(flat, 0);
    const centred = tf.sub(flat, mean);
    const variance = tf.mean(tf.square(centred), 0);
    updateRunningStats(bn, mean, variance, flat.shape[0]);
    const y = tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), bn.weight), bn.bias);
    return tf.reshape(y, x.shape) as T;
  }
  const { weight, bias } = p.norm;
  const folded = ctx.inference?.isFoldedNorm(p) ?? false; // γ and β live in the next Linear
  if (!ctx.isTraining) {
    const fused = folded ? layerNormKernel(x, eps) : layerNormKernel(x, eps, weight, bias);
    if (fused) return fused as T;
  }
  if (folded) return standardise(x, eps).xhat as T;
  return (ctx.isTraining ? layerNormWithGrad(x, weight, bias, eps) : layerNorm(x, weight, bias, eps)) as T;
}

/** (x − mean)/√(var + ε) over the last axis, and 1/√(var + ε) for the gradient. */
function standardise(x: tf.Tensor, eps: number): { xhat: tf.Tensor; rstd: tf.Tensor } {
  const axis = x.rank - 1;
  const centred = tf.sub(x, tf.mean(x, axis, true));
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), axis, true), constant(eps)));
  return { xhat: tf.mul(centred, rstd), rstd };
}

function layerNorm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  return tf.add(tf.mul(standardise(x, eps).xhat, weight), bias);
}

/**
 * LayerNorm with its gradient written out: 13 backward kernels instead of the ~25 that autodiff
 * records (broadcast reductions, identities and casts).
 */
function layerNormWithGrad(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  const f = tf.customGrad(((xs: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const { xhat, rstd } = standardise(xs, eps);
    save([xhat, rstd, w]);
    return {
      value: tf.add(tf.mul(xhat, w), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, r, ws] = saved;
        const axis = dy.rank - 1;
        const width = dy.shape[axis];
        const g = tf.mul(dy, ws);
        // dx = r·(g − mean(g) − x̂·mean(g·x̂)), means over the normalised axis
        const dx = tf.mul(r, tf.sub(tf.sub(g, tf.mean(g, axis, true)), tf.mul(xh, tf.mean(tf.mul(g, xh), axis, true))));
        const dw = tf.sum(tf.reshape(tf.mul(dy, xh), [-1, width]), 0);
        const db = tf.sum(tf.reshape(dy, [-1, width]), 0);
        return [dx, dw, db];
      },
    };
  }) as never) as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  return f(x, weight, bias);
}

/** PyTorch's momentum-0.1 update with the unbiased batch variance. */
function updateRunningStats(
  bn: BatchNormParams['norm']['batchnorm'],
  mean: tf.Tensor,
  biasedVar: tf.Tensor,
  n: number,
): void {
  const m = 0.1;
  tf.tidy(() => {
    const unbiased = tf.mul(biasedVar, n / Math.max(n - 1, 1));
    bn.runningMean.assign(tf.add(tf.mul(bn.runningMean, 1 - m), tf.mul(mean, m)));
    bn.runningVar.assign(tf.add(tf.mul(bn.runningVar, 1 - m), tf.mul(unbiased, m)));
    bn.numBatchesTracked.assign(tf.add(bn.numBatchesTracked, tf.scalar(1, 'int32')));
  });
}
