/**
 * The three residual mixers of a TTM layer. Each acts on h [B, c, n, d] and returns the same
 * shape; they differ in the axis the MLP mixes and in where the gate sits.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './context.js';
import { gate, initGate, type GateParams } from './gating.js';
import type { Initializer } from './init.js';
import { asRows } from './linear.js';
import { initMlp, mlp, type MlpParams } from './mlp.js';
import { initNorm, norm, type NormParams } from './norm.js';
import { initSelfAttention, selfAttention, type SelfAttentionParams } from './self-attention.js';

export interface MixerParams {
  norm: NormParams;
  mlp: MlpParams;
  gatingBlock?: GateParams;
}
export interface PatchMixerParams extends MixerParams {
  selfAttnLayer?: SelfAttentionParams;
  normAttn?: NormParams;
}

/** Sizes of one mixer layer: n patches, width d, c channels. */
export interface LayerShape {
  n: number;
  d: number;
  c: number;
}

/** Options that differ between encoder, decoder and the FCM's mixer. */
export interface MixerOptions {
  mode: 'common_channel' | 'mix_channel';
  gated: boolean;
  selfAttn: boolean;
  heads: number;
  normKind: string;
  expansion: number;
  dropoutRate: number;
}

function initMixer(size: number, width: number, o: MixerOptions, init: Initializer): MixerParams {
  return {
    norm: initNorm(width, o.normKind),
    mlp: initMlp(size, o.expansion, init),
    ...(o.gated ? { gatingBlock: initGate(size, init) } : {}),
  };
}

export function initPatchMixer(s: LayerShape, o: MixerOptions, init: Initializer): PatchMixerParams {
  const p: PatchMixerParams = initMixer(s.n, s.d, o, init);
  if (o.selfAttn) {
    p.selfAttnLayer = initSelfAttention(s.d, init);
    p.normAttn = initNorm(s.d, o.normKind);
  }
  return p;
}
export const initFeatureMixer = (s: LayerShape, o: MixerOptions, init: Initializer) => initMixer(s.d, s.d, o, init);
export const initChannelMixer = (s: LayerShape, o: MixerOptions, init: Initializer) => initMixer(s.c, s.d, o, init);

const normOf = (p: NormParams, x: tf.Tensor4D, ctx: ForwardContext) => norm(p, x, ctx);

/** Channel mixer: gate **then** MLP over the channel axis. h [B, c, n, d] → same */
export function channelMixer(p: MixerParams, h: tf.Tensor4D, o: MixerOptions, ctx: ForwardContext): tf.Tensor4D {
  const t = tf.transpose(normOf(p.norm, h, ctx), [0, 3, 2, 1]); // [B, d, n, c]
  let z = asRows(p.mlp.fc1, t, ctx.inference);
  if (p.gatingBlock) z = gate(p.gatingBlock, z, ctx.inference);
  z = mlp(p.mlp, z, o.dropoutRate, ctx);
  return tf.add(tf.transpose(tf.reshape(z, t.shape), [0, 3, 2, 1]), h); // [B, c, n, d]
}

/** Patch mixer: MLP over patches, then gate; optional self-attention. h [B, c, n, d] → same */
export function patchMixer(p: PatchMixerParams, h: tf.Tensor4D, o: MixerOptions, ctx: ForwardContext): tf.Tensor4D {
  const [B, c, n, d] = h.shape;
  const normed = normOf(p.norm, h, ctx);
  let attn: tf.Tensor4D | undefined;
  if (p.selfAttnLayer) {
    const a = selfAttention(p.selfAttnLayer, tf.reshape(normed, [B * c, n, d]), o.heads, ctx);
    attn = tf.reshape(a, [B, c, n, d]);
  }
  const t = tf.transpose(normed, [0, 1, 3, 2]); // [B, c, d, n]
  let z = mlp(p.mlp, asRows(p.mlp.fc1, t, ctx.inference), o.dropoutRate, ctx);
  if (p.gatingBlock) z = gate(p.gatingBlock, z, ctx.inference);
  z = tf.transpose(tf.reshape(z, t.shape), [0, 1, 3, 2]); // [B, c, n, d]
  if (attn && p.normAttn) z = normOf(p.normAttn, tf.add(z, attn), ctx);
  return tf.add(z, h);
}

/** Feature mixer: MLP over the width, then gate. h [B, c, n, d] → same */
export function featureMixer(p: MixerParams, h: tf.Tensor4D, o: MixerOptions, ctx: ForwardContext): tf.Tensor4D {
  let z = mlp(p.mlp, asRows(p.mlp.fc1, normOf(p.norm, h, ctx), ctx.inference), o.dropoutRate, ctx);
  if (p.gatingBlock) z = gate(p.gatingBlock, z, ctx.inference);
  return tf.add(tf.reshape(z, h.shape), h);
}
