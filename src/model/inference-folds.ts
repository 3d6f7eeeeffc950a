/**
 * Constant folding for the prepared inference path. Two affine steps move into the cached
 * compute copies of the Linear layers next to them, so each costs no kernel at run time:
 * - GELU: with u = fc1(x)/√2, gelu(fc1 x) = (u/√2)·(1 + erf u); the 1/√2 before goes into fc1's
 *   copy, the one after into fc2's (dropout between them is linear). 5 kernels → 3.
 * - A feature mixer's LayerNorm weight γ and bias β: fc1(x̂·γ + β) = (W·diag γ)·x̂ + (W·β + b).
 *   (The patch and channel mixers transpose between norm and MLP, so theirs cannot move.)
 * The folded state lives in the model's InferenceCache and goes with it (dropInferenceCache, dispose).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { InferenceCache } from './inference-cache.js';
import type { MixerParams } from './mixers.js';
import type { NormParams } from './norm.js';

const isMixer = (node: object): node is MixerParams => 'mlp' in node && 'norm' in node;
const isLayerNorm = (p: NormParams): p is { norm: { weight: tf.Variable; bias: tf.Variable } } => !('batchnorm' in p.norm);

/** Fold every mixer of a parameter tree whose fc1 weight path passes `only`, into `cache`. */
export function foldForInference(cache: InferenceCache, tree: object, only: (path: string) => boolean, prefix = ''): void {
  for (const [key, node] of Object.entries(tree)) {
    if (node === null || typeof node !== 'object' || 'dataId' in node) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isMixer(node) && only(`${path}.mlp.fc1.weight`)) {
      const norm = key === 'featureMixer' && isLayerNorm(node.norm) ? node.norm.norm : undefined;
      cache.cacheFolded(node.mlp.fc1, { outFactor: Math.SQRT1_2, inScale: norm?.weight, inShift: norm?.bias });
      cache.cacheFolded(node.mlp.fc2, { inFactor: Math.SQRT1_2 });
      cache.markFolded(node.mlp, norm ? node.norm : undefined);
    }
    foldForInference(cache, node, only, path);
  }
}
