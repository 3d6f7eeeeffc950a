/**
 * Backbone encoder: patch embedding, optional frequency prefix patch, optional positional
 * table, then the mixer block over D.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gelu } from './activation.js';
import { embed } from './select.js';
import type { TtmConfig } from './config.js';
import type { ForwardContext } from './context.js';
import type { Initializer } from './init.js';
import { initLinear, linear, type LinearParams } from './linear.js';
import { initMixerBlock, mixerBlock, type MixerBlockParams } from './mixer-block.js';
import type { MixerOptions } from './mixers.js';

export interface FreqModParams {
  /** freq_mod.0: Embedding [vocab, p] */
  embedding: { weight: tf.Variable };
  /** freq_mod.1: Linear p → M */
  linearIn: LinearParams;
  /** freq_mod.3: Linear M → D */
  linearOut: LinearParams;
}

export interface EncoderParams {
  patcher: LinearParams;
  freqMod?: FreqModParams;
  positionalEncoder?: { positionEnc: tf.Variable };
  mlpMixerEncoder: MixerBlockParams;
}

export function encoderOptions(cfg: TtmConfig): MixerOptions {
  return {
    mode: cfg.mode,
    gated: cfg.gated_attn,
    selfAttn: cfg.self_attn,
    heads: cfg.self_attn_heads,
    normKind: cfg.norm_mlp,
    expansion: cfg.expansion_factor,
    dropoutRate: cfg.dropout,
  };
}

/** The sincos table of a fresh model: centred, then divided by 10 × its standard deviation. */
export function sincosTable(n: number, d: number): Float32Array {
  const pe = new Float64Array(n * d);
  for (let pos = 0; pos < n; pos++) {
    for (let i = 0; i < d; i += 2) {
      const w = Math.exp(-(i * Math.log(10000)) / d);
      pe[pos * d + i] = Math.sin(pos * w);
      if (i + 1 < d) pe[pos * d + i + 1] = Math.cos(pos * w);
    }
  }
  const mean = pe.reduce((a, b) => a + b, 0) / pe.length;
  const sd = Math.sqrt(pe.reduce((a, b) => a + (b - mean) ** 2, 0) / (pe.length - 1));
  return Float32Array.from(pe, (v) => (v - mean) / (sd * 10));
}

export function initEncoder(cfg: TtmConfig, init: Initializer): EncoderParams {
  const { patch_length: p, d_model: D, num_patches: N } = cfg;
  const enc: EncoderParams = { patcher: initLinear(p, D, init.uniform) } as EncoderParams;
  if (cfg.resolution_prefix_tuning) {
    const M = Math.floor((p + D) / 2);
    enc.freqMod = {
      embedding: { weight: tf.variable(tf.tensor2d(init.normal(cfg.frequency_token_vocab_size * p, 1), [cfg.frequency_token_vocab_size, p])) },
      linearIn: initLinear(p, M, init.uniform),
      linearOut: initLinear(M, D, init.uniform),
    };
  }
  if (cfg.use_positional_encoding) {
    const table = cfg.positional_encoding_type === 'sincos' ? sincosTable(N, D) : init.normal(N * D, 1);
    enc.positionalEncoder = { positionEnc: tf.variable(tf.tensor2d(table, [N, D]), cfg.positional_encoding_type === 'random') };
  }
  enc.mlpMixerEncoder = initMixerBlock(
    { n: N, d: D, c: cfg.num_input_channels, layers: cfg.num_layers, levels: cfg.adaptive_patching_levels },
    encoderOptions(cfg),
    init,
  );
  return enc;
}

/** patches [B, C, N0, p], freqToken [B] int32 or undefined → [B, C, N, D] */
export function encoder(p: EncoderParams, patches: tf.Tensor4D, freqToken: tf.Tensor1D | undefined, ctx: ForwardContext): tf.Tensor4D {
  const { cfg } = ctx;
  let h = linear(p.patcher, patches, ctx.inference); // [B, C, N0, D]
  ctx.onIntermediate?.('patcher_output', h);
  if (p.freqMod && freqToken) {
    const [B, C, , D] = h.shape;
    const t = embed(p.freqMod.embedding.weight as tf.Tensor2D, freqToken); // [B, p]
    const v = linear(p.freqMod.linearOut, gelu(linear(p.freqMod.linearIn, t, ctx.inference), ctx.isTraining), ctx.inference); // [B, D]
    const prefix = tf.broadcastTo(tf.reshape(v, [B, 1, 1, D]), [B, C, 1, D]);
    h = tf.concat([prefix, h], 2) as tf.Tensor4D; // [B, C, N, D]
  }
  if (p.positionalEncoder) h = tf.add(h, p.positionalEncoder.positionEnc) as tf.Tensor4D;
  ctx.onIntermediate?.('encoder_block_input', h);
  return mixerBlock(p.mlpMixerEncoder, h, cfg.adaptive_patching_levels, encoderOptions(cfg), ctx);
}
