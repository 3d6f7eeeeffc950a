/**
 * Scalars kept on the engine, one per value and backend. An op given a JS number creates and
 * uploads a fresh scalar on every call (~2 µs each on wasm); the model's elementwise chains
 * (GELU, LayerNorm) would otherwise pay that dozens of times per forward.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Per backend instance, not name: a backend re-created under the same name (wasm after wasm-threaded) has none of the old one's tensors. */
const kept = new WeakMap<tf.KernelBackend, Map<number, tf.Scalar>>();

export function constant(value: number): tf.Scalar {
  const backend = tf.backend();
  let byValue = kept.get(backend);
  if (!byValue) kept.set(backend, (byValue = new Map()));
  let s = byValue.get(value);
  if (!s || s.isDisposed) {
    s = tf.keep(tf.scalar(value));
    byValue.set(value, s);
  }
  return s;
}

/** Create the given constants now (so a later forward allocates no lasting tensors). */
export function warmConstants(values: readonly number[]): void {
  for (const v of values) constant(v);
}
