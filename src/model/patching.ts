import * as tf from '@tensorflow/tfjs-core';

/** Number of patches cut from a context of L steps. */
export function patchCount(L: number, p: number, s: number): number {
  return Math.floor((L - p) / s) + 1;
}

/**
 * Sliding windows aligned to the window's end: leading steps no patch uses are dropped.
 * x [B, L, C] → [B, C, N0, p]
 */
export function patchify(x: tf.Tensor3D, p: number, s: number): tf.Tensor4D {
  const [B, L, C] = x.shape;
  const n0 = patchCount(L, p, s);
  const start = L - (p + s * (n0 - 1));
  const xc = tf.transpose(x, [0, 2, 1]); // [B, C, L]
  if (s === p) {
    const used = tf.slice(xc, [0, 0, start], [B, C, n0 * p]);
    return tf.reshape(used, [B, C, n0, p]);
  }
  // Overlapping patches: one slice per patch (tf.gather's gradient is missing on wasm).
  const patches = Array.from({ length: n0 }, (_, n) => tf.slice(xc, [0, 0, start + n * s], [B, C, p]));
  return tf.stack(patches, 2) as tf.Tensor4D; // [B, C, N0, p]
}
