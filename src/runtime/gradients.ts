/**
 * The library computes with @tensorflow/tfjs-core alone: forecasting needs no gradients, and the
 * full @tensorflow/tfjs bundle (layers, converter, data, webgl) takes ~0.3 s more to import on
 * every command. Gradients for every op are registered by that bundle only (tfjs-core's own
 * registration module is not loadable by Node's ESM resolver), so whatever differentiates —
 * training, `ttm forward --grads` — calls this first.
 */
import * as tf from '@tensorflow/tfjs-core';

let loading: Promise<void> | undefined;

export function enableGradients(): Promise<void> {
  loading ??= import('@tensorflow/tfjs').then(() => undefined);
  return loading;
}

/** Throws when a gradient is about to be taken without enableGradients() (a programming error). */
export function assertGradients(): void {
  if (tf.getGradient('Multiply') === undefined) {
    throw new Error('gradients are not registered: await enableGradients() (src/runtime/gradients.ts) before training');
  }
}
