import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../../src/data/index.js';
import { ShapeError } from '../../src/errors.js';
import { disposeInputs } from '../../src/model/index.js';
import { batchInputs } from '../../src/predict/index.js';
import { useBackend } from '../helpers/backend.js';

function batch(uf: number[]): WindowBatch {
  const B = uf.length;
  return {
    size: B, context: 2, horizon: 1, channels: 1,
    pastValues: new Float32Array(B * 2), pastObservedMask: new Float32Array(B * 2).fill(1),
    futureValues: new Float32Array(B), futureObservedMask: new Float32Array(B),
    staticCategorical: Int32Array.from(uf), mean: new Float32Array(B), std: new Float32Array(B).fill(1),
    keys: uf.map((u) => ({ produto: 0, regiao: u })), originWeeks: new Int32Array(B), origins: uf.map(() => '2024-01-01'),
  };
}

describe('batchInputs', () => {
  beforeAll(() => useBackend('cpu'));

  it('range-checks categorical indices and the frequency token once, when the batch is built', () => {
    const ok = batchInputs(batch([0, 2]), { withCategorical: true, vocab: { categorical: [3] } });
    expect(ok.staticCategoricalValues!.shape).toEqual([2, 1]);
    disposeInputs(ok);
    const before = tf.memory().numTensors;
    expect(() => batchInputs(batch([0, 3]), { withCategorical: true, vocab: { categorical: [3] } })).toThrow(/static_categorical_values\[1, 0\] = 3 is outside 0..2/);
    expect(() => batchInputs(batch([0]), { freqToken: 9, vocab: { freq: 5 } })).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before); // refused before any tensor was made
  });
});
