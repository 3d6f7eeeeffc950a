/** Window batches (plain arrays from the data layer) → model input tensors. */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../data/index.js';
import { checkIndexInputs, type IndexVocab, type TtmInputs } from '../model/index.js';

export interface InputOptions {
  /** Include future values and mask (training, validation loss). */
  withFuture?: boolean;
  /** Pass the UF as static categorical (models with categorical_vocab_size_list). */
  withCategorical?: boolean;
  /** Frequency token for every window (models with resolution prefix tuning). */
  freqToken?: number;
  /** Value transform applied before the model (its inverse is applied to forecasts). */
  transform?: ValueTransform;
  /** The model's vocabulary sizes (indexVocab(cfg)): integer inputs are range-checked here, once per batch. */
  vocab?: IndexVocab;
}

/**
 * 'log1p': the model sees sign(x)·log(1 + |x|). With an MAE loss it then learns the median of
 * log(1 + y), whose inverse is the median of y (the transform is monotone): the point forecast
 * WAPE rewards, and one far less disturbed by promotion spikes than raw values.
 */
export type ValueTransform = 'none' | 'log1p';

export function forwardTransform(values: Float32Array, t: ValueTransform | undefined): Float32Array {
  if (!t || t === 'none') return values;
  return values.map((x) => Math.sign(x) * Math.log1p(Math.abs(x)));
}

export function inverseTransform(x: number, t: ValueTransform | undefined): number {
  if (!t || t === 'none') return x;
  return Math.sign(x) * Math.expm1(Math.abs(x));
}

/** With `o.vocab`: the batch's integer inputs are inside the model's vocabularies (a ShapeError names the first that is not). */
export function checkBatchIndices(b: WindowBatch, o: InputOptions): void {
  if (!o.vocab) return;
  checkIndexInputs(o.vocab, {
    staticCategorical: o.withCategorical ? b.staticCategorical : undefined,
    freqToken: o.freqToken === undefined ? undefined : [o.freqToken],
  });
}

/** Tensors for one batch; the caller disposes them (disposeInputs). */
export function batchInputs(b: WindowBatch, o: InputOptions = {}): TtmInputs {
  const { size: B, context: L, horizon: H, channels: C } = b;
  checkBatchIndices(b, o);
  const inputs: TtmInputs = {
    pastValues: tf.tensor3d(forwardTransform(b.pastValues, o.transform), [B, L, C]),
    pastObservedMask: tf.tensor3d(b.pastObservedMask, [B, L, C]),
  };
  if (o.withFuture) {
    inputs.futureValues = tf.tensor3d(forwardTransform(b.futureValues, o.transform), [B, H, C]);
    inputs.futureObservedMask = tf.tensor3d(b.futureObservedMask, [B, H, C]);
  }
  if (o.withCategorical) inputs.staticCategoricalValues = tf.tensor2d(Float32Array.from(b.staticCategorical), [B, 1]);
  if (o.freqToken !== undefined) inputs.freqToken = tf.fill([B], o.freqToken) as tf.Tensor1D;
  return inputs;
}
