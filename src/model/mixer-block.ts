/**
 * A stack of mixer layers, plain or with adaptive patching (coarse-to-fine groups that see
 * N·f patches of width D/f).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './context.js';
import type { Initializer } from './init.js';
import {
  channelMixer,
  featureMixer,
  initChannelMixer,
  initFeatureMixer,
  initPatchMixer,
  patchMixer,
  type LayerShape,
  type MixerOptions,
  type MixerParams,
  type PatchMixerParams,
} from './mixers.js';

export interface MixerLayerParams {
  channelFeatureMixer?: MixerParams;
  patchMixer?: PatchMixerParams;
  featureMixer: MixerParams;
}
/** levels = 0: `mixers[l]`; levels > 0: `mixers[j].mixerLayers[l]` (group j = level Lv−1−j). */
export type MixerBlockParams =
  | { mixers: MixerLayerParams[] }
  | { mixers: { mixerLayers: MixerLayerParams[] }[] };

export interface BlockShape {
  /** patches N, width D, channels c of the block's input */
  n: number;
  d: number;
  c: number;
  layers: number;
  levels: number;
}

/** Factor of adaptive level i: 2^i, forced to 1 when D // 2^i <= 4 (the reference only warns). */
export function levelFactor(d: number, level: number): number {
  const f = 2 ** level;
  return Math.floor(d / f) <= 4 ? 1 : f;
}

function initLayer(s: LayerShape, o: MixerOptions, init: Initializer): MixerLayerParams {
  const layer: MixerLayerParams = {} as MixerLayerParams;
  if (o.mode === 'mix_channel') layer.channelFeatureMixer = initChannelMixer(s, o, init);
  if (s.n > 1) layer.patchMixer = initPatchMixer(s, o, init);
  layer.featureMixer = initFeatureMixer(s, o, init);
  return layer;
}

export function initMixerBlock(b: BlockShape, o: MixerOptions, init: Initializer): MixerBlockParams {
  const layers = (s: LayerShape) => Array.from({ length: b.layers }, () => initLayer(s, o, init));
  if (b.levels === 0) return { mixers: layers({ n: b.n, d: b.d, c: b.c }) };
  const groups = [];
  for (let j = 0; j < b.levels; j++) {
    const f = levelFactor(b.d, b.levels - 1 - j);
    groups.push({ mixerLayers: layers({ n: b.n * f, d: b.d / f, c: b.c }) });
  }
  return { mixers: groups };
}

function mixerLayer(p: MixerLayerParams, h: tf.Tensor4D, o: MixerOptions, ctx: ForwardContext): tf.Tensor4D {
  let x = h;
  if (p.channelFeatureMixer) x = channelMixer(p.channelFeatureMixer, x, o, ctx);
  if (p.patchMixer) x = patchMixer(p.patchMixer, x, o, ctx);
  return featureMixer(p.featureMixer, x, o, ctx);
}

function runLayers(layers: MixerLayerParams[], h: tf.Tensor4D, o: MixerOptions, ctx: ForwardContext): tf.Tensor4D {
  let x = h;
  for (const layer of layers) {
    x = mixerLayer(layer, x, o, ctx);
    ctx.onHiddenState?.(x);
  }
  return x;
}

/** h [B, c, N, D] → [B, c, N, D] */
export function mixerBlock(p: MixerBlockParams, h: tf.Tensor4D, levels: number, o: MixerOptions, ctx: ForwardContext): tf.Tensor4D {
  if (levels === 0) return runLayers((p as { mixers: MixerLayerParams[] }).mixers, h, o, ctx);
  const groups = (p as { mixers: { mixerLayers: MixerLayerParams[] }[] }).mixers;
  const [B, c, N, D] = h.shape;
  let x = h;
  groups.forEach((g, j) => {
    const f = levelFactor(D, levels - 1 - j);
    ctx.onHiddenState?.(x);
    const split = tf.reshape(x, [B, c, N * f, D / f]) as tf.Tensor4D; // row-major: slice r of patch q → patch q·f + r
    ctx.onHiddenState?.(split);
    const out = runLayers(g.mixerLayers, split, o, ctx);
    x = tf.reshape(out, [B, c, N, D]);
    ctx.onHiddenState?.(x);
  });
  return x;
}
