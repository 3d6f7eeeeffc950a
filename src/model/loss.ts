/** Training losses on de-normalised forecasts, masked by future_observed_mask when given. */
import * as tf from '@tensorflow/tfjs-core';

export type LossName = 'mse' | 'mae' | 'huber' | 'pinball';

export interface LossOptions {
  huberDelta: number;
  quantile: number;
}

/** prediction, target, mask [B, H, Cp] → scalar mean over (observed) elements */
export function forecastLoss(
  name: LossName,
  prediction: tf.Tensor3D,
  target: tf.Tensor3D,
  mask: tf.Tensor3D | undefined,
  o: LossOptions,
): tf.Scalar {
  const d = tf.sub(target, prediction);
  let per: tf.Tensor;
  switch (name) {
    case 'mse':
      per = tf.square(d);
      break;
    case 'mae':
      per = tf.abs(d);
      break;
    case 'huber': {
      const a = tf.abs(d);
      const delta = o.huberDelta;
      per = tf.where(tf.less(a, delta), tf.mul(tf.square(d), 0.5), tf.mul(tf.sub(a, delta / 2), delta));
      break;
    }
    case 'pinball':
      per = tf.maximum(tf.mul(d, o.quantile), tf.mul(d, o.quantile - 1));
      break;
  }
  if (!mask) return tf.mean(per);
  const observed = tf.notEqual(mask, 0);
  const kept = tf.where(observed, per, tf.zerosLike(per));
  return tf.div(tf.sum(kept), tf.maximum(tf.sum(tf.cast(observed, 'float32')), 1)) as tf.Scalar;
}
