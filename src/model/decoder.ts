/**
 * Decoder: adapter D → Dd, optional raw-patch residual, static categorical channels, and a mixer
 * block over Dd whose MLPs use head_dropout.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TtmConfig } from './config.js';
import type { ForwardContext } from './context.js';
import type { Initializer } from './init.js';
import { embed } from './select.js';
import { initLinear, linear, type LinearParams } from './linear.js';
import { initMixerBlock, mixerBlock, type MixerBlockParams } from './mixer-block.js';
import type { MixerOptions } from './mixers.js';

export interface DecoderParams {
  adapter?: LinearParams;
  decoderRawEmbedding?: LinearParams;
  decoderCatEmbeddingLayer?: { embeddingLayers: { weight: tf.Variable }[] };
  decoderBlock: MixerBlockParams;
}

export function decoderOptions(cfg: TtmConfig): MixerOptions {
  return {
    mode: cfg.decoder_mode,
    gated: cfg.gated_attn,
    selfAttn: cfg.self_attn,
    heads: cfg.self_attn_heads,
    normKind: cfg.norm_mlp,
    expansion: cfg.expansion_factor,
    dropoutRate: cfg.head_dropout,
  };
}

const categoricalCount = (cfg: TtmConfig) => cfg.categorical_vocab_size_list?.length ?? 0;

export function initDecoder(cfg: TtmConfig, init: Initializer): DecoderParams {
  const { d_model: D, decoder_d_model: Dd, patch_length: p } = cfg;
  const dec = {} as DecoderParams;
  if (D !== Dd) dec.adapter = initLinear(D, Dd, init.uniform);
  if (cfg.decoder_raw_residual) dec.decoderRawEmbedding = initLinear(p, Dd, init.uniform);
  const vocab = cfg.categorical_vocab_size_list ?? [];
  if (vocab.length > 0) {
    dec.decoderCatEmbeddingLayer = {
      embeddingLayers: vocab.map((v) => ({ weight: tf.variable(tf.tensor2d(init.normal(v * Dd, 1), [v, Dd])) })),
    };
  }
  dec.decoderBlock = initMixerBlock(
    {
      n: cfg.num_patches,
      d: Dd,
      c: cfg.num_input_channels + categoricalCount(cfg),
      layers: cfg.decoder_num_layers,
      levels: cfg.decoder_adaptive_patching_levels,
    },
    decoderOptions(cfg),
    init,
  );
  return dec;
}

/**
 * h [B, C, N, D], rawPatches [B, C, N0, p], categorical [B, K] int32 → [B, C, N, Dd]
 */
export function decoder(
  p: DecoderParams,
  h: tf.Tensor4D,
  rawPatches: tf.Tensor4D,
  categorical: tf.Tensor2D | undefined,
  ctx: ForwardContext,
): tf.Tensor4D {
  const { cfg } = ctx;
  let x = h;
  if (p.adapter) {
    x = linear(p.adapter, x, ctx.inference);
    ctx.onHiddenState?.(x);
  }
  if (p.decoderRawEmbedding) {
    let raw = rawPatches;
    if (raw.shape[2] < x.shape[2]) {
      // The frequency prefix slot has no raw patch: a zero patch goes in front (it gets only the bias).
      const [B, C, , pl] = raw.shape;
      raw = tf.concat([tf.zeros([B, C, x.shape[2] - raw.shape[2], pl]), raw], 2);
    }
    x = tf.add(x, linear(p.decoderRawEmbedding, raw, ctx.inference)) as tf.Tensor4D;
    ctx.onHiddenState?.(x);
  }
  const K = categoricalCount(cfg);
  const tables = p.decoderCatEmbeddingLayer?.embeddingLayers ?? [];
  if (K > 0 && tables.length > 0 && categorical) {
    const [B, , N, Dd] = x.shape;
    const extra = tables.map((t, k) => {
      const idx = tf.reshape(tf.slice(categorical, [0, k], [B, 1]), [B]);
      const row = embed(t.weight as tf.Tensor2D, idx as tf.Tensor1D); // [B, Dd]
      return tf.broadcastTo(tf.reshape(row, [B, 1, 1, Dd]), [B, 1, N, Dd]);
    });
    x = tf.concat([x, ...extra], 1) as tf.Tensor4D; // [B, C + K, N, Dd]
  }
  ctx.onIntermediate?.('decoder_block_input', x);
  let out = mixerBlock(p.decoderBlock, x, cfg.decoder_adaptive_patching_levels, decoderOptions(cfg), ctx);
  if (out.shape[1] > h.shape[1]) {
    const [B, , N, Dd] = out.shape;
    out = tf.slice(out, [0, 0, 0, 0], [B, h.shape[1], N, Dd]);
    ctx.onHiddenState?.(out);
  }
  return out;
}
