/** Window batches (plain arrays from the data layer) → model input tensors. */
import * as tf from '@tensorflow/tfjs';
import type { WindowBatch } from '../data/index.js';
import type { TtmInputs } from '../model/index.js';

export interface InputOptions {
  /** Include future values and mask (training, validation loss). */
  withFuture?: boolean;
  /** Pass the UF as static categorical (models with categorical_vocab_size_list). */
  withCategorical?: boolean;
  /** Frequency token for every window (models with resolution prefix tuning). */
  freqToken?: number;
}

/** Tensors for one batch; the caller disposes them (disposeInputs). */
export function batchInputs(b: WindowBatch, o: InputOptions = {}): TtmInputs {
  const { size: B, context: L, horizon: H, channels: C } = b;
  const inputs: TtmInputs = {
    pastValues: tf.tensor3d(b.pastValues, [B, L, C]),
    pastObservedMask: tf.tensor3d(b.pastObservedMask, [B, L, C]),
  };
  if (o.withFuture) {
    inputs.futureValues = tf.tensor3d(b.futureValues, [B, H, C]);
    inputs.futureObservedMask = tf.tensor3d(b.futureObservedMask, [B, H, C]);
  }
  if (o.withCategorical) inputs.staticCategoricalValues = tf.tensor2d(Float32Array.from(b.staticCategorical), [B, 1]);
  if (o.freqToken !== undefined) inputs.freqToken = tf.fill([B], o.freqToken) as tf.Tensor1D;
  return inputs;
}
