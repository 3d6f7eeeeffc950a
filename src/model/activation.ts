import * as tf from '@tensorflow/tfjs';

const INV_SQRT2 = Math.SQRT1_2;

/** GELU, exact erf form 0.5·x·(1 + erf(x/√2)); the tanh approximation fails parity. */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, INV_SQRT2)))) as T;
}
