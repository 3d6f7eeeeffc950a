/**
 * Parity with the reference PyTorch implementation: every key of every case's
 * expected.safetensors (outputs, hidden states, intermediates, losses, gradients) on the cpu
 * and wasm backends. Expected values come from the fixture files only.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { loadModel } from '../../src/io/checkpoint.js';
import { disposeInputs, inputsFromTensors, outputsToTensors } from '../../src/io/forward-io.js';
import { referenceOutputs } from '../../src/model/index.js';
import { useBackend, PARITY_BACKENDS } from '../helpers/backend.js';
import { analyticallyZero, caseDir, loadCase, REAL_CASES, SYNTHETIC_CASES } from '../helpers/fixtures.js';
import { expectClose, FORWARD_TOL, GRAD_TOL } from '../helpers/expect-close.js';

for (const backend of PARITY_BACKENDS) {
  describe(`model parity on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });
    for (const name of [...SYNTHETIC_CASES, ...REAL_CASES]) {
      const dir = caseDir(name);
      const skip = !dir;
      if (skip) console.log(`skipping ${name}: ../shared/fixtures/ttm/${name} is not on this machine`);
      it.skipIf(skip)(`${name}: every expected tensor within the fixture tolerances`, async () => {
        const c = await loadCase(name);
        const { model } = await loadModel(c.dir);
        const inputs = inputsFromTensors(c.inputs, `${name}/inputs.safetensors`);
        const wantsGrads = [...c.expected.keys()].some((k) => k.startsWith('grad.'));
        const before = tf.memory().numTensors;
        const outputs = outputsToTensors(
          await referenceOutputs(model, inputs, { grads: wantsGrads, hiddenStates: true, intermediates: true }),
        );
        expect(tf.memory().numTensors).toBe(before);
        const zero = analyticallyZero(c.meta);
        let compared = 0;
        for (const [key, exp] of c.expected) {
          const ours = outputs.get(key);
          expect(ours, `${name}: we produce no "${key}"`).toBeDefined();
          expect(ours!.shape, `${name}: shape of ${key}`).toEqual(exp.shape);
          if (zero.keys.has(key)) {
            // Analytically zero: the reference holds float32 noise (|e| ≤ bound); ours must be noise
            // of the same order, compared with the true value 0, not with the reference's noise.
            expectClose(key, ours!.data, new Float32Array(exp.data.length), { atolOfMax: 0, rtol: 0 }, 2 * zero.bound + 1e-6);
          } else {
            expectClose(`${name} ${key}`, ours!.data, exp.data, key.startsWith('grad.') ? GRAD_TOL : FORWARD_TOL);
          }
          compared++;
        }
        expect(compared).toBe(c.expected.size);
        disposeInputs(inputs);
        model.dispose();
      });
    }
  });
}

// The forecasting path (predict, evaluate): weights prepared once for inference (compute-layout
// copies, fused kernels). Every forward key of every case, eval mode, no gradients.
for (const backend of PARITY_BACKENDS) {
  describe(`model parity on ${backend}, prepared for inference`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });
    for (const name of [...SYNTHETIC_CASES, ...REAL_CASES]) {
      const dir = caseDir(name);
      it.skipIf(!dir)(`${name}: every forward tensor within the fixture tolerances`, async () => {
        const c = await loadCase(name);
        const { model } = await loadModel(c.dir);
        model.prepareForInference();
        const inputs = inputsFromTensors(c.inputs, `${name}/inputs.safetensors`);
        const outputs = outputsToTensors(await referenceOutputs(model, inputs, { grads: false, hiddenStates: true, intermediates: true }));
        let compared = 0;
        for (const [key, exp] of c.expected) {
          if (key.startsWith('grad.')) continue;
          const ours = outputs.get(key);
          expect(ours, `${name}: we produce no "${key}"`).toBeDefined();
          expectClose(`${name} ${key} (prepared)`, ours!.data, exp.data, FORWARD_TOL);
          compared++;
        }
        expect(compared).toBeGreaterThan(5);
        disposeInputs(inputs);
        model.dispose();
      });
    }
  });
}
