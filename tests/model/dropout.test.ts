/** Dropout as PyTorch defines it: zero with probability p, the rest scaled by 1/(1 − p); training only. */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { dropout, dropoutMask, type ForwardContext } from '../../src/model/context.js';
import { makeTtmConfig } from '../../src/model/index.js';
import { useBackend } from '../helpers/backend.js';

const cfg = makeTtmConfig({ context_length: 16, prediction_length: 4, patch_length: 4, patch_stride: 4 });

describe('dropout', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('drops a fraction p and scales the rest by 1/(1 − p); the same seed gives the same mask', () => {
    for (const p of [0.1, 0.2, 0.5]) {
      const m = dropoutMask(200_001, p, 11);
      let zeros = 0;
      for (const v of m) {
        if (v === 0) zeros++;
        else expect(v).toBe(Math.fround(1 / (1 - p)));
      }
      // binomial standard deviation of the fraction: ~1e-3 at this n
      expect(Math.abs(zeros / m.length - p)).toBeLessThan(5e-3);
      expect(dropoutMask(1000, p, 11)).toEqual(m.subarray(0, 1000));
      expect(dropoutMask(1000, p, 12)).not.toEqual(m.subarray(0, 1000));
    }
  });

  it('is the identity outside training and keeps the expectation in training', () => {
    const x = tf.fill([400, 50], 3);
    const evalCtx: ForwardContext = { cfg, isTraining: false };
    expect(dropout(x, 0.2, evalCtx)).toBe(x);
    let seed = 5;
    const trainCtx: ForwardContext = { cfg, isTraining: true, nextSeed: () => seed++ };
    const y = dropout(x, 0.2, trainCtx);
    const values = Array.from(y.dataSync());
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    expect(Math.abs(mean - 3)).toBeLessThan(0.05);
    expect(new Set(values)).toEqual(new Set([0, 3.75]));
    tf.dispose([x, y]);
  });
});
