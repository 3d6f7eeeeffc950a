/**
 * The interop format of `ttm forward`: inputs keyed as the reference's forward arguments
 * (past_values, past_observed_mask, future_values, future_observed_mask,
 * static_categorical_values, freq_token) and outputs keyed as the fixtures' expected files.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import type { NamedArray, TtmInputs } from '../model/index.js';
import type { StoredTensor, TensorToWrite } from './safetensors.js';
import { pytorchKey } from './weight-map.js';

const INPUT_RANKS: Record<string, number> = {
  past_values: 3,
  past_observed_mask: 3,
  future_values: 3,
  future_observed_mask: 3,
  static_categorical_values: 2,
  freq_token: 1,
};

/** Build model inputs from an inputs file's tensors; the caller disposes them. */
export function inputsFromTensors(tensors: Map<string, StoredTensor>, source: string): TtmInputs {
  for (const key of tensors.keys()) {
    if (!(key in INPUT_RANKS)) {
      throw new ShapeError(`${source}: unknown input "${key}" (expected ${Object.keys(INPUT_RANKS).join(', ')})`);
    }
  }
  const get = (key: string) => {
    const t = tensors.get(key);
    if (!t) return undefined;
    if (t.shape.length !== INPUT_RANKS[key]) {
      throw new ShapeError(`${source}: ${key} has shape [${t.shape.join(', ')}], expected rank ${INPUT_RANKS[key]}`);
    }
    return tf.tensor(Float32Array.from(t.data), t.shape, 'float32');
  };
  const past = get('past_values');
  if (!past) throw new ShapeError(`${source}: past_values is missing`);
  return {
    pastValues: past as tf.Tensor3D,
    pastObservedMask: get('past_observed_mask') as tf.Tensor3D | undefined,
    futureValues: get('future_values') as tf.Tensor3D | undefined,
    futureObservedMask: get('future_observed_mask') as tf.Tensor3D | undefined,
    staticCategoricalValues: get('static_categorical_values') as tf.Tensor2D | undefined,
    freqToken: get('freq_token') as tf.Tensor1D | undefined,
  };
}

export { disposeInputs } from '../model/index.js';

/** Reference outputs → safetensors entries, gradient paths renamed to PyTorch keys. */
export function outputsToTensors(outputs: Map<string, NamedArray>): Map<string, TensorToWrite> {
  const out = new Map<string, TensorToWrite>();
  for (const [key, v] of outputs) {
    const name = key.startsWith('grad.') ? `grad.${pytorchKey(key.slice(5))}` : key;
    out.set(name, { dtype: 'F32', shape: v.shape, data: v.data });
  }
  return out;
}
