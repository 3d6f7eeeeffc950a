/**
 * The mixers' normalisation over the last (width) axis: LayerNorm, or BatchNorm with running
 * statistics in eval mode and batch statistics (plus a running-stat update) in training.
 */
import * as tf from '@tensorflow/tfjs';
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
  const mean = tf.mean(x, axis, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), axis, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), p.norm.weight), p.norm.bias) as T;
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
