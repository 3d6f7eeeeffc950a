/** Forecast head: flatten patches × width, one Linear to the horizon, channel selection, FCM. */
import * as tf from '@tensorflow/tfjs-core';
import { forecastChannels, outputHorizon, type TtmConfig } from './config.js';
import { dropout, type ForwardContext } from './context.js';
import { fcm, initFcm, type FcmParams } from './fcm.js';
import type { Initializer } from './init.js';
import { selectAlong } from './select.js';
import { initLinear, linear, type LinearParams } from './linear.js';

export interface HeadParams {
  baseForecastBlock: LinearParams;
  fcmBlock?: FcmParams;
}

export function initHead(cfg: TtmConfig, init: Initializer): HeadParams {
  const width = cfg.use_decoder ? cfg.decoder_d_model : cfg.d_model;
  const head: HeadParams = { baseForecastBlock: initLinear(cfg.num_patches * width, cfg.prediction_length, init.uniform) };
  if (cfg.enable_forecast_channel_mixing) head.fcmBlock = initFcm(cfg, init);
  return head;
}

/**
 * h [B, C, N, Dd] → normalised forecast [B, Hh, Cp]. past [B, L, C] and future [B, H', C] are raw
 * values, used only by the forecast channel mixer.
 */
export function head(
  p: HeadParams,
  h: tf.Tensor4D,
  past: tf.Tensor3D,
  future: tf.Tensor3D | undefined,
  ctx: ForwardContext,
): tf.Tensor3D {
  const { cfg } = ctx;
  const [B, C, N, Dd] = h.shape;
  const flat = dropout(tf.reshape(h, [B, C, N * Dd]), cfg.head_dropout, ctx);
  const out = linear(p.baseForecastBlock, flat, ctx.inference); // [B, C, H]
  ctx.onIntermediate?.('head_base_forecast', out);
  let y = tf.transpose(out, [0, 2, 1]) as tf.Tensor3D; // [B, H, C]
  if (cfg.prediction_channel_indices) y = selectAlong(y, forecastChannels(cfg), 2);
  const Hh = outputHorizon(cfg);
  if (Hh < y.shape[1]) y = tf.slice(y, [0, 0, 0], [B, Hh, y.shape[2]]);
  if (p.fcmBlock) {
    if (!future) throw new Error('forecast channel mixing needs future_values');
    ctx.onIntermediate?.('fcm_input', y);
    y = fcm(p.fcmBlock, y, past, future, ctx);
  }
  return y;
}
