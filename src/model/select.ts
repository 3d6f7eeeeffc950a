/**
 * Index selection built from slices and concatenation. tf.gather's gradient needs the
 * UnsortedSegmentSum kernel, which tfjs-backend-wasm lacks; slices differentiate everywhere.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Take positions `indices` of `axis` (runs of consecutive indices become one slice). */
export function selectAlong<T extends tf.Tensor>(x: T, indices: number[], axis: number): T {
  const runs: [number, number][] = [];
  for (const i of indices) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === i) last[1]++;
    else runs.push([i, 1]);
  }
  const parts = runs.map(([start, size]) => {
    const begin = x.shape.map((_, a) => (a === axis ? start : 0));
    const sizes = x.shape.map((d, a) => (a === axis ? size : d));
    return tf.slice(x, begin, sizes);
  });
  return (parts.length === 1 ? parts[0] : tf.concat(parts, axis)) as T;
}

/**
 * Embedding lookup as one-hot × table, so the table's gradient is a matMul on every backend.
 * table [V, d], indices [B] int32 → [B, d]
 */
export function embed(table: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  const oneHot = tf.cast(tf.oneHot(indices, table.shape[0]), 'float32') as tf.Tensor2D; // [B, V]
  return tf.matMul(oneHot, table);
}
