import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/runtime/backend.js';
import { AdamW, adamwStateFromBytes, adamwStateToBytes } from '../../src/train/adamw.js';
import { CheckpointError, ShapeError } from '../../src/errors.js';
import { expectNoLeak } from '../helpers/no-leak.js';

/**
 * PyTorch's AdamW step (torch/optim/adamw.py, 1.13, single tensor, amsgrad off) transcribed in
 * plain doubles: an independent implementation to compare with.
 */
function referenceAdamW(
  p0: number[],
  grads: number[][],
  hp: { lrs: number[]; beta1s: number[]; beta2: number; eps: number; wd: number },
): number[][] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const out: number[][] = [];
  grads.forEach((g, k) => {
    const t = k + 1;
    const lr = hp.lrs[k];
    const b1 = hp.beta1s[k];
    for (let i = 0; i < p.length; i++) {
      p[i] *= 1 - lr * hp.wd; // decoupled weight decay first
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = hp.beta2 * v[i] + (1 - hp.beta2) * g[i] * g[i];
      const bc1 = 1 - b1 ** t; // with the beta1 in force at this step
      const bc2 = 1 - hp.beta2 ** t;
      const denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + hp.eps;
      p[i] -= (lr / bc1) * (m[i] / denom);
    }
    out.push([...p]);
  });
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: number[], rtol = 2e-6, atol = 1e-7): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = atol + rtol * Math.abs(expected[i]);
    if (Math.abs(actual[i] - expected[i]) > tol) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]} (tol ${tol})`);
    }
  }
}

const P0 = [0.5, -1.25, 2, 0.001, -0.3, 3.5];
const GRADS = [
  [0.1, -0.2, 0.3, 1e-4, 0, -2],
  [-0.05, 0.4, 0.3, -1e-3, 0.02, 1.5],
  [0.2, 0.1, -0.6, 5e-3, -0.01, 0.25],
  [0.0, -0.3, 0.1, 2e-3, 0.5, -0.75],
];
const HP = { lrs: [1e-2, 5e-2, 3e-2, 1e-3], beta1s: [0.95, 0.9, 0.87, 0.93], beta2: 0.999, eps: 1e-8, wd: 0.05 };

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`train/adamw (${backend})`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    it('matches PyTorch AdamW step by step, with lr and beta1 changing each step', () => {
      const w = tf.variable(tf.tensor2d(P0, [2, 3]), true, `w-${backend}-1`);
      const opt = new AdamW({ w }, { lr: 1, betas: [0.9, HP.beta2], eps: HP.eps, weightDecay: HP.wd });
      const expected = referenceAdamW(P0, GRADS, HP);
      GRADS.forEach((g, k) => {
        const grad = tf.tensor2d(g, [2, 3]);
        opt.applyGradients({ w: grad }, { lr: HP.lrs[k], beta1: HP.beta1s[k] });
        grad.dispose();
        expectClose(w.dataSync(), expected[k]);
      });
      expect(opt.hyper).toMatchObject({ lr: 1e-3, beta1: 0.93 });
      opt.dispose();
      w.dispose();
    });

    it('keys an array of variables by their names and skips parameters without a gradient', () => {
      const a = tf.variable(tf.tensor1d([1, 2]), true, `a-${backend}`);
      const b = tf.variable(tf.tensor1d([3]), true, `b-${backend}`);
      const opt = new AdamW([a, b], { lr: 0.1, weightDecay: 0.5 });
      expect(opt.names).toEqual([a.name, b.name]);
      const g = tf.tensor1d([1, -1]);
      opt.applyGradients({ [a.name]: g });
      g.dispose();
      expect(b.dataSync()[0]).toBe(3); // no grad: no step, no weight decay (PyTorch skips grad None)
      const st = opt.getState();
      expect(st.params[a.name].step).toBe(1);
      expect(st.params[b.name].step).toBe(0);
      opt.dispose();
      a.dispose();
      b.dispose();
    });

    it('creates no tensors per step and frees its moments on dispose', async () => {
      const w = tf.variable(tf.ones([4, 4]), true, `w-${backend}-leak`);
      const g = tf.fill([4, 4], 0.5);
      const before = tf.memory().numTensors;
      const opt = new AdamW({ w });
      await expectNoLeak(() => {
        for (let k = 0; k < 3; k++) opt.applyGradients({ w: g }, { lr: 1e-3 * (k + 1), beta1: 0.9 });
      });
      await expectNoLeak(() => opt.setState(opt.getState()));
      opt.dispose();
      expect(tf.memory().numTensors).toBe(before);
      g.dispose();
      w.dispose();
    });

    it('continues identically after getState/setState into a fresh optimizer', () => {
      const half = 2;
      const expected = referenceAdamW(P0, GRADS, HP);
      const w = tf.variable(tf.tensor2d(P0, [2, 3]), true, `w-${backend}-resume`);
      let opt = new AdamW({ w }, { betas: [0.9, HP.beta2], eps: HP.eps, weightDecay: HP.wd });
      const step = (o: AdamW, k: number) => {
        const grad = tf.tensor2d(GRADS[k], [2, 3]);
        o.applyGradients({ w: grad }, { lr: HP.lrs[k], beta1: HP.beta1s[k] });
        grad.dispose();
      };
      for (let k = 0; k < half; k++) step(opt, k);
      const state = opt.getState();
      // A checkpoint holds copies: mutating them must not touch the optimizer.
      state.params.w.expAvg.fill(0);
      const bytes = adamwStateToBytes(opt.getState());
      opt.dispose();
      opt = new AdamW({ w }, { weightDecay: 123 });
      opt.setState(adamwStateFromBytes(bytes, 'optimizer.safetensors'));
      expect(opt.hyper).toEqual({ lr: HP.lrs[1], beta1: HP.beta1s[1], beta2: HP.beta2, eps: HP.eps, weightDecay: HP.wd });
      for (let k = half; k < GRADS.length; k++) step(opt, k);
      expectClose(w.dataSync(), expected[GRADS.length - 1]);
      opt.dispose();
      w.dispose();
    });

    it('stores its state as a safetensors file, bit for bit', () => {
      const w = tf.variable(tf.tensor2d(P0, [2, 3]), true, `w-${backend}-bytes`);
      const opt = new AdamW({ 'encoder.fc1.weight': w }, { weightDecay: HP.wd });
      const grad = tf.tensor2d(GRADS[0], [2, 3]);
      opt.applyGradients({ 'encoder.fc1.weight': grad }, { lr: 0.01, beta1: 0.95 });
      grad.dispose();
      const state = opt.getState();
      expect(adamwStateFromBytes(adamwStateToBytes(state), 'x')).toEqual(state);
      expect(() => adamwStateFromBytes(adamwStateToBytes({ ...state, params: {} }).slice(0, 20), 'bad.safetensors')).toThrow(CheckpointError);
      opt.dispose();
      w.dispose();
    });

    it('rejects mismatched gradients and states, naming the parameter', () => {
      const w = tf.variable(tf.zeros([2, 2]), true, `w-${backend}-bad`);
      const before = Float32Array.from(w.dataSync());
      const opt = new AdamW({ w });
      const g = tf.zeros([4]);
      expect(() => opt.applyGradients({ w: g })).toThrow(ShapeError);
      expect(() => opt.applyGradients({ nope: g })).toThrow(/unknown parameter "nope"/);
      g.dispose();
      expect(Array.from(w.dataSync())).toEqual(Array.from(before));
      const st = opt.getState();
      expect(() => opt.setState({ ...st, params: {} })).toThrow(/missing parameter "w"/);
      expect(() =>
        opt.setState({ ...st, params: { w: { step: 1, expAvg: new Float32Array(3), expAvgSq: new Float32Array(3) } } }),
      ).toThrow(CheckpointError);
      expect(() => opt.setState({ ...st, params: { ...st.params, x: st.params.w } })).toThrow(/unexpected parameter "x"/);
      opt.dispose();
      w.dispose();
    });
  });
}
