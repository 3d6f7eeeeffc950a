/**
 * Fine-tuning with the backbone frozen runs the backbone before the gradient tape, on cached
 * weights: the gradients must be those of the whole forward under the tape. And a model that
 * was prepared for inference must still train every parameter (cached weights get no gradient).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { makeTtmConfig, TtmModel, isTrainable, type TtmInputs } from '../../src/model/index.js';
import { prepareForTraining, shardGradients, trainableVariables } from '../../src/train/train-step.js';
import { useBackend } from '../helpers/backend.js';
import { expectClose } from '../helpers/expect-close.js';

const config = () =>
  makeTtmConfig({
    context_length: 32, prediction_length: 8, patch_length: 8, patch_stride: 8, num_input_channels: 2,
    d_model: 16, decoder_d_model: 8, num_layers: 2, decoder_num_layers: 2, loss: 'mse', dropout: 0.2, head_dropout: 0.2,
  });

function inputs(): TtmInputs {
  return {
    pastValues: tf.randomNormal([6, 32, 2], 0, 1, 'float32', 3) as tf.Tensor3D,
    futureValues: tf.randomNormal([6, 8, 2], 0, 1, 'float32', 4) as tf.Tensor3D,
  };
}

describe('training with a frozen backbone', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('gives the gradients of the whole forward under the tape', () => {
    const model = TtmModel.create(config(), 5);
    const vars = trainableVariables(model, (p) => isTrainable('decoder-head', p));
    expect(Object.keys(vars).some((p) => p.startsWith('backbone.'))).toBe(false);
    const x = inputs();
    // Same dropout masks in both: seeds drawn in the same order (encoder first).
    const seeds = () => {
      let k = 100;
      return () => k++;
    };
    // Reference: the plain forward, everything recorded.
    const pathOf = new Map(Object.entries(vars).map(([p, v]) => [v.name, p]));
    const { value, grads } = tf.variableGrads(() => model.forward(x, { isTraining: true, nextSeed: seeds() }).loss!, Object.values(vars));
    const reference = new Map(Object.entries(grads).map(([n, g]) => [pathOf.get(n)!, g.dataSync().slice()]));
    const unprepare = prepareForTraining(model, vars);
    const ours = shardGradients(model, vars, x, { nextSeed: seeds() });
    unprepare();
    expect(ours.loss).toBeCloseTo(value.dataSync()[0], 5);
    expect(ours.grads.size).toBe(reference.size);
    for (const [path, g] of reference) expectClose(path, ours.grads.get(path)!, g, { atolOfMax: 1e-5, rtol: 1e-4 });
    tf.dispose([value, ...Object.values(grads), ...Object.values(x)]);
    model.dispose();
  });

  it('a model prepared for inference still trains its backbone', () => {
    const model = TtmModel.create(config(), 5);
    model.prepareForInference();
    const vars = trainableVariables(model, (p) => isTrainable('all', p));
    const unprepare = prepareForTraining(model, vars);
    const x = inputs();
    const { grads } = shardGradients(model, vars, x, {});
    unprepare();
    const fc1 = [...grads.keys()].find((p) => p.startsWith('backbone.') && p.includes('fc1') && p.endsWith('weight'))!;
    expect(fc1).toBeDefined();
    expect(Math.max(...grads.get(fc1)!.map(Math.abs))).toBeGreaterThan(0);
    tf.dispose(Object.values(x));
    model.dispose();
  });
});
