/** Per-sample, per-channel scaling over the time axis (std, mean or none), with observed masks. */
import * as tf from '@tensorflow/tfjs-core';

export interface Scaled {
  scaled: tf.Tensor3D; // [B, L, C]
  loc: tf.Tensor3D; // [B, 1, C]
  scale: tf.Tensor3D; // [B, 1, C]
}

/** x, mask [B, L, C] → scaled [B, L, C], loc and scale [B, 1, C]; all three are new tensors. */
export function scale(kind: 'std' | 'mean' | 'none', x: tf.Tensor3D, mask: tf.Tensor3D): Scaled {
  if (kind === 'std') {
    const count = tf.maximum(tf.sum(mask, 1, true), 1);
    const loc = tf.div(tf.sum(tf.mul(x, mask), 1, true), count) as tf.Tensor3D;
    // Centre first: E[x²]−E[x]² loses most digits on revenue-sized series in float32.
    const variance = tf.div(tf.sum(tf.square(tf.mul(tf.sub(x, loc), mask)), 1, true), count);
    const s = tf.sqrt(tf.add(variance, 1e-5)) as tf.Tensor3D;
    return { scaled: tf.div(tf.sub(x, loc), s) as tf.Tensor3D, loc, scale: s };
  }
  if (kind === 'mean') {
    const absSum = tf.sum(tf.abs(tf.mul(x, mask)), 1, true); // [B, 1, C]
    const observed = tf.sum(mask, 1, true);
    const perSeries = tf.div(absSum, tf.maximum(observed, 1));
    // A series with no observed point falls back to the batch-wide scale of its channel.
    const batchScale = tf.div(tf.sum(absSum, 0, true), tf.maximum(tf.sum(observed, 0, true), 1));
    const s = tf.maximum(tf.where(tf.greater(observed, 0), perSeries, tf.broadcastTo(batchScale, perSeries.shape)), 1e-10) as tf.Tensor3D;
    return { scaled: tf.div(x, s) as tf.Tensor3D, loc: tf.zerosLike(s), scale: s };
  }
  const [B, , C] = x.shape;
  // A new tensor, never `x` itself: callers own (keep, dispose) every output, and `x` may be
  // the caller's input (`ttm forward --grads` disposed its own past_values through it).
  return { scaled: tf.clone(x), loc: tf.zeros([B, 1, C]), scale: tf.ones([B, 1, C]) };
}
