/**
 * Forecast channel mixer (exogenous infusion): corrects the normalised forecast of the target
 * channels with the raw neighbouring values of the targets and the exogenous channels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { forecastChannels, type TtmConfig } from './config.js';
import type { ForwardContext } from './context.js';
import { gate, initGate, type GateParams } from './gating.js';
import type { Initializer } from './init.js';
import { selectAlong } from './select.js';
import { initLinear, linear, type LinearParams } from './linear.js';
import { initMixerBlock, mixerBlock, type MixerBlockParams } from './mixer-block.js';
import type { MixerOptions } from './mixers.js';

export interface FcmParams {
  fcmEmbedding?: LinearParams;
  exogMixer?: MixerBlockParams;
  fcmGatingBlock?: GateParams;
  mlp: LinearParams;
}

function fcmSizes(cfg: TtmConfig) {
  const k = cfg.fcm_context_length;
  const w = 2 * k + 1;
  const Cp = forecastChannels(cfg).length;
  const Ce = cfg.exogenous_channel_indices?.length ?? 0;
  const V = Cp + Ce;
  const wOut = cfg.fcm_use_mixer ? 2 * w : w;
  return { k, w, Cp, Ce, V, wOut };
}

function exogMixerOptions(cfg: TtmConfig): MixerOptions {
  return {
    mode: 'common_channel',
    gated: cfg.fcm_gated_attn,
    selfAttn: cfg.self_attn,
    heads: cfg.self_attn_heads,
    normKind: cfg.norm_mlp,
    expansion: cfg.expansion_factor,
    dropoutRate: cfg.head_dropout,
  };
}

export function initFcm(cfg: TtmConfig, init: Initializer): FcmParams {
  const { w, Cp, V, wOut } = fcmSizes(cfg);
  const p = {} as FcmParams;
  if (cfg.fcm_use_mixer) {
    p.fcmEmbedding = initLinear(w, 2 * w, init.uniform);
    const Hh = cfg.prediction_filter_length ?? cfg.prediction_length;
    p.exogMixer = initMixerBlock({ n: V, d: 2 * w, c: Hh, layers: cfg.fcm_mix_layers, levels: 0 }, exogMixerOptions(cfg), init);
  }
  if (cfg.fcm_gated_attn) p.fcmGatingBlock = initGate(V * wOut, init);
  p.mlp = initLinear(V * wOut, Cp, init.uniform);
  return p;
}

/**
 * y [B, Hh, Cp] (normalised), past [B, L, C] raw, future [B, ≥Hh, C] raw → [B, Hh, Cp]
 */
export function fcm(p: FcmParams, y: tf.Tensor3D, past: tf.Tensor3D, future: tf.Tensor3D, ctx: ForwardContext): tf.Tensor3D {
  const { cfg } = ctx;
  const { k, w, V } = fcmSizes(cfg);
  const [B, Hh] = y.shape;
  const targets = forecastChannels(cfg);
  const exog = cfg.exogenous_channel_indices ?? [];
  const pick = (x: tf.Tensor3D, ch: number[]) => selectAlong(x, ch, 2);
  const futureCut = tf.slice(future, [0, 0, 0], [B, Hh, future.shape[2]]);
  const base = exog.length > 0 ? tf.concat([y, pick(futureCut, exog)], 2) : y; // [B, Hh, V]
  let z: tf.Tensor3D;
  if (k > 0) {
    let prefix: tf.Tensor3D;
    if (cfg.fcm_prepend_past) {
      const L = past.shape[1];
      const end = L - (cfg.fcm_prepend_past_offset ?? 0);
      const window = tf.slice(past, [0, end - k, 0], [B, k, past.shape[2]]);
      prefix = pick(window, [...targets, ...exog]); // [B, k, V]
    } else {
      prefix = tf.zeros([B, k, V]);
    }
    const ext = tf.concat([prefix, base, tf.zeros([B, k, V])], 1); // [B, Hh + 2k, V]
    const windows = tf.stack(
      Array.from({ length: w }, (_, j) => tf.slice(ext, [0, j, 0], [B, Hh, V])),
      3,
    ) as tf.Tensor4D; // [B, Hh, V, w]
    let e: tf.Tensor4D = windows;
    if (p.fcmEmbedding && p.exogMixer) {
      e = linear(p.fcmEmbedding, windows, ctx.inference); // [B, Hh, V, 2w]
      e = mixerBlock(p.exogMixer, e, 0, exogMixerOptions(cfg), { ...ctx, onHiddenState: undefined });
    }
    z = tf.reshape(e, [B, Hh, -1]) as tf.Tensor3D; // variable-major [B, Hh, V·w']
  } else {
    z = base;
  }
  if (p.fcmGatingBlock) z = gate(p.fcmGatingBlock, z, ctx.inference);
  return tf.add(linear(p.mlp, z, ctx.inference), y) as tf.Tensor3D;
}
