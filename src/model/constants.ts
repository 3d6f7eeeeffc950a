/**
 * Scalars kept on the engine, one per value and backend. An op given a JS number creates and
 * uploads a fresh scalar on every call (~2 µs each on wasm); the model's elementwise chains
 * (GELU, LayerNorm) would otherwise pay that dozens of times per forward.
 */
import * as tf from '@tensorflow/tfjs-core';

const kept = new Map<string, tf.Scalar>();

export function constant(value: number): tf.Scalar {
  const key = `${tf.getBackend()}:${value}`;
  let s = kept.get(key);
  if (!s || s.isDisposed) {
    s = tf.keep(tf.scalar(value));
    kept.set(key, s);
  }
  return s;
}

/** Create the given constants now (so a later forward allocates no lasting tensors). */
export function warmConstants(values: readonly number[]): void {
  for (const v of values) constant(v);
}
