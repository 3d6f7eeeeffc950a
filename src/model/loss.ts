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
      // 0.5·m² + δ·(|d| − m) with m = min(|d|, δ): 0.5·d² inside δ, δ·(|d| − δ/2) outside. Written
      // without a boolean mask so it differentiates (Less has no gradient in tfjs).
      const a = tf.abs(d);
      const m = tf.minimum(a, o.huberDelta);
      per = tf.add(tf.mul(tf.square(m), 0.5), tf.mul(tf.sub(a, m), o.huberDelta));
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
