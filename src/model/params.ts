/**
 * The parameter tree: nested objects mirroring the reference's module tree in camelCase
 * (`backbone.encoder.mlpMixerEncoder.mixers[0].patchMixer.mlp.fc1.weight`). PyTorch's key
 * strings are made from these paths in io/weight-map.ts only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DecoderParams } from './decoder.js';
import type { EncoderParams } from './encoder.js';
import type { HeadParams } from './head.js';

export interface TtmParams {
  backbone: { encoder: EncoderParams };
  decoder?: DecoderParams;
  head: HeadParams;
}

/** Every variable of a tree with its dotted path, in a stable depth-first order. */
export function flattenParams(tree: unknown, prefix = ''): [string, tf.Variable][] {
  if (tree instanceof tf.Variable) return [[prefix, tree]];
  if (tree === null || typeof tree !== 'object') return [];
  const out: [string, tf.Variable][] = [];
  const entries = Array.isArray(tree) ? tree.map((v, i) => [String(i), v] as const) : Object.entries(tree);
  for (const [k, v] of entries) out.push(...flattenParams(v, prefix ? `${prefix}.${k}` : k));
  return out;
}

/** Dispose every variable of a tree. */
export function disposeParams(tree: unknown): void {
  for (const [, v] of flattenParams(tree)) v.dispose();
}
