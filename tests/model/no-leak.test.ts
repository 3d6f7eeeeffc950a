import { describe, it, expect, beforeAll, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { DESIGN_CONFIG } from '../../src/config/design-config.js';
import { makeTtmConfig, TtmModel } from '../../src/model/index.js';
import { useBackend } from '../helpers/backend.js';
import { expectNoLeak } from '../helpers/no-leak.js';

const config = () =>
  makeTtmConfig({ ...DESIGN_CONFIG, categorical_vocab_size_list: [6], prediction_channel_indices: [0, 1], dropout: 0.2, head_dropout: 0.2 });

function inputs(B: number) {
  return {
    pastValues: tf.randomNormal([B, 104, 2], 10, 3, 'float32', 1) as tf.Tensor3D,
    futureValues: tf.randomNormal([B, 26, 2], 10, 3, 'float32', 2) as tf.Tensor3D,
    staticCategoricalValues: tf.tensor2d([[0], [5], [2]].slice(0, B)),
  };
}

describe('model memory', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    // The model's engine-lifetime constants (kept scalars) come with the first model on a
    // backend; leaks are what repeated work leaves behind after that.
    TtmModel.create(config(), 1).dispose();
  });

  it('creating and disposing a model leaves no tensor', async () => {
    await expectNoLeak(() => TtmModel.create(config(), 1).dispose());
  });

  it('a training-mode forward + backward leaves no tensor', async () => {
    const model = TtmModel.create(config(), 1);
    const x = inputs(3);
    await expectNoLeak(() => {
      const vars = model.namedVariables().map(([, v]) => v);
      const { value, grads } = tf.variableGrads(() => model.forward(x, { isTraining: true, nextSeed: () => 3 }).loss!, vars);
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
    });
    for (const t of Object.values(x)) t.dispose();
    model.dispose();
  });

  it('inference caches belong to their model: disposing one leaves the other working', async () => {
    const a = TtmModel.create(config(), 1);
    const b = TtmModel.create(config(), 2);
    const x = inputs(2);
    const before = tf.tidy(() => b.forward(x).predictionOutputs.arraySync());
    b.prepareForInference();
    a.prepareForInference();
    a.dispose();
    const after = tf.tidy(() => b.forward(x).predictionOutputs.arraySync());
    expect(after.flat(2).map((v, i) => Math.abs(v - before.flat(2)[i]) <= 1e-4 * (1 + Math.abs(v))).every(Boolean)).toBe(true);
    await expectNoLeak(() => tf.tidy(() => {
      b.forward(x);
    }));
    b.dispose();
    for (const t of Object.values(x)) t.dispose();
  });

  it('each model owns its inference cache: two prepared models side by side, dispose one, the other forecasts identically; nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const x = inputs(3);
    const a = TtmModel.create(config(), 1);
    const b = TtmModel.create(config(), 2);
    a.prepareForInference();
    b.prepareForInference();
    expect(a.inferenceCacheSize).toBeGreaterThan(0);
    expect(b.inferenceCacheSize).toBe(a.inferenceCacheSize);
    const bBefore = tf.tidy(() => b.forward(x).predictionOutputs.arraySync());
    const aOut = tf.tidy(() => a.forward(x).predictionOutputs.arraySync());
    expect(aOut).not.toEqual(bBefore); // different weights, different forecasts
    a.dispose();
    expect(a.inferenceCacheSize).toBe(0);
    const bAfter = tf.tidy(() => b.forward(x).predictionOutputs.arraySync());
    expect(bAfter).toEqual(bBefore); // bit for bit: b's cached weights were untouched
    b.dispose();
    for (const t of Object.values(x)) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a forward does not read tensors back (no dataSync on categorical inputs)', () => {
    const model = TtmModel.create(config(), 1);
    model.prepareForInference();
    const x = inputs(3);
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    try {
      tf.tidy(() => {
        model.forward(x);
      });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      for (const t of Object.values(x)) t.dispose();
      model.dispose();
    }
  });
});
