/** Optional multi-head self-attention of the patch mixer (no mask, no causality). */
import * as tf from '@tensorflow/tfjs-core';
import { dropout, type ForwardContext } from './context.js';
import { initLinear, linear, type LinearParams } from './linear.js';
import type { Initializer } from './init.js';

export interface SelfAttentionParams {
  qProj: LinearParams;
  kProj: LinearParams;
  vProj: LinearParams;
  outProj: LinearParams;
}

export function initSelfAttention(d: number, init: Initializer): SelfAttentionParams {
  return {
    kProj: initLinear(d, d, init.uniform),
    vProj: initLinear(d, d, init.uniform),
    qProj: initLinear(d, d, init.uniform),
    outProj: initLinear(d, d, init.uniform),
  };
}

/** x [S, n, d] (S = batch·channels) → [S, n, d] */
export function selfAttention(p: SelfAttentionParams, x: tf.Tensor3D, heads: number, ctx: ForwardContext): tf.Tensor3D {
  const [S, n, d] = x.shape;
  const hd = d / heads;
  const split = (t: tf.Tensor3D) => tf.transpose(tf.reshape(t, [S, n, heads, hd]), [0, 2, 1, 3]); // [S, h, n, hd]
  const q = split(tf.mul(linear(p.qProj, x, ctx.inference), hd ** -0.5));
  const k = split(linear(p.kProj, x, ctx.inference));
  const v = split(linear(p.vProj, x, ctx.inference));
  const scores = tf.matMul(q, tf.transpose(k, [0, 1, 3, 2])); // [S, h, n, n]
  const probs = dropout(tf.softmax(scores), ctx.cfg.dropout, ctx);
  const ctxv = tf.matMul(probs, v); // [S, h, n, hd]
  const merged = tf.reshape(tf.transpose(ctxv, [0, 2, 1, 3]), [S, n, d]);
  return linear(p.outProj, merged as tf.Tensor3D, ctx.inference);
}
