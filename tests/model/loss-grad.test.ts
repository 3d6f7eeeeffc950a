/**
 * Every training loss differentiates (`ttm train --loss …` offers all four), with the gradient
 * its formula gives: checked against the analytic derivative per element, masked elements 0.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { forecastLoss, type LossName } from '../../src/model/index.js';
import { useBackend } from '../helpers/backend.js';

const q = 0.9;
const delta = 1;

/** d loss / d prediction of one element (before the 1/N of the mean). */
function derivative(name: LossName, p: number, t: number): number {
  const e = p - t;
  switch (name) {
    case 'mse':
      return 2 * e;
    case 'mae':
      return Math.sign(e);
    case 'huber':
      return Math.abs(e) < delta ? e : delta * Math.sign(e);
    case 'pinball':
      return t - p > 0 ? -q : 1 - q;
  }
}

describe('loss gradients', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const name of ['mse', 'mae', 'huber', 'pinball'] as LossName[]) {
    it(`${name}: the analytic gradient, masked elements excluded`, () => {
      const shape: [number, number, number] = [3, 4, 2];
      const n = 24;
      // Errors between −3 and 3 (both sides of huber's δ), none at a kink.
      const pred = Float32Array.from({ length: n }, (_, i) => ((i * 7) % 13) / 2 - 3 + 0.05);
      const target = new Float32Array(n);
      const mask = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1));
      const observed = mask.reduce((a, m) => a + m, 0);
      const g = tf.tidy(() => {
        const f = (p: tf.Tensor) => forecastLoss(name, p as tf.Tensor3D, tf.tensor3d(target, shape), tf.tensor3d(mask, shape), { huberDelta: delta, quantile: q });
        return tf.grad(f)(tf.tensor3d(pred, shape)).dataSync();
      });
      for (let i = 0; i < n; i++) {
        const want = mask[i] ? derivative(name, pred[i], target[i]) / observed : 0;
        expect(g[i], `element ${i} (prediction ${pred[i]})`).toBeCloseTo(want, 6);
      }
    });
  }
});
