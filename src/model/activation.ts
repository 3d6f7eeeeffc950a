/**
 * GELU, exact erf form 0.5·x·(1 + erf(x/√2)) = x·Φ(x); the tanh approximation fails parity.
 * In training the gradient is the analytic dy·(Φ + x·φ(x)), a few kernels instead of the
 * autodiff chain through erf and the three products around it.
 *
 * Tried and dropped: Φ ≈ sigmoid(x·q(x²)) with a degree-6 q (all-SIMD kernels on wasm, parity
 * held); it was 6% faster at batch 900 and 18% slower at batch 32 than wasm's Erf (docs/performance.md).
 */
import * as tf from '@tensorflow/tfjs-core';
import { constant } from './constants.js';

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** The scalars GELU uses (kept once per backend, see constants.ts). */
export const GELU_CONSTANTS = [0.5, INV_SQRT2, -0.5, INV_SQRT_2PI, 1] as const;

/** Φ(x), the standard normal CDF, elementwise. */
function normalCdf(x: tf.Tensor): tf.Tensor {
  return tf.add(constant(0.5), tf.mul(constant(0.5), tf.erf(tf.mul(x, constant(INV_SQRT2)))));
}

/** x·Φ(x); in training, with the analytic gradient. */
export function gelu<T extends tf.Tensor>(x: T, training = false): T {
  return (training ? geluWithGrad(x) : tf.mul(x, normalCdf(x))) as T;
}

const geluWithGrad = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const cdf = normalCdf(x);
  save([x, cdf]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, phi] = saved;
      // d/dx x·Φ(x) = Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π)
      const density = tf.mul(tf.exp(tf.mul(tf.square(xs), constant(-0.5))), constant(INV_SQRT_2PI));
      return tf.mul(dy, tf.add(phi, tf.mul(xs, density)));
    },
  };
}) as never) as (x: tf.Tensor) => tf.Tensor;
