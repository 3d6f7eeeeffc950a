/**
 * Data-parallel training: splitting a batch into shards and combining their gradients gives the
 * whole batch's gradient (the loss is a mean over observed elements), and a step on two threads
 * updates the weights as a step on one thread does.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../../src/data/index.js';
import { makeTtmConfig, TtmModel, isTrainable } from '../../src/model/index.js';
import { batchInputs } from '../../src/predict/batch.js';
import { AdamW } from '../../src/train/adamw.js';
import { combineShards, lossWeight, shardBatch } from '../../src/train/grad-shards.js';
import { parallelObstacle, ParallelStepper } from '../../src/train/parallel-step.js';
import { shardGradients, trainableVariables, trainStep } from '../../src/train/train-step.js';
import { useBackend } from '../helpers/backend.js';
import { expectClose } from '../helpers/expect-close.js';

const L = 32;
const H = 8;
const C = 2;
const config = () =>
  makeTtmConfig({
    context_length: L, prediction_length: H, patch_length: 8, patch_stride: 8, num_input_channels: C,
    d_model: 16, decoder_d_model: 8, num_layers: 2, decoder_num_layers: 2, decoder_mode: 'mix_channel',
    categorical_vocab_size_list: [6], prediction_channel_indices: [0, 1], loss: 'mae', dropout: 0, head_dropout: 0,
  });

/** A batch with uneven observed counts: some future weeks are masked out. */
function makeBatch(B: number, seed: number): WindowBatch {
  let s = seed;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 4 - 2;
  const fill = (n: number) => Float32Array.from({ length: n }, rnd);
  const futureObservedMask = Float32Array.from({ length: B * H * C }, (_, i) => (i % 7 === 0 || Math.floor(i / (H * C)) === 1 ? 0 : 1));
  return {
    size: B, context: L, horizon: H, channels: C,
    pastValues: fill(B * L * C), pastObservedMask: new Float32Array(B * L * C).fill(1),
    futureValues: fill(B * H * C), futureObservedMask,
    staticCategorical: Int32Array.from({ length: B }, (_, i) => i % 6),
    mean: new Float32Array(B * C), std: new Float32Array(B * C).fill(1),
    keys: Array.from({ length: B }, (_, i) => ({ produto: String(i), uf: 'SP' }) as never),
    originWeeks: new Int32Array(B), origins: Array.from({ length: B }, () => '2024-01-04'),
  };
}

const options = { withFuture: true, withCategorical: true };

describe('data-parallel training', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('shards cover the batch in order, without empty shards', () => {
    const b = makeBatch(7, 3);
    const shards = shardBatch(b, 3);
    expect(shards.map((s) => s.size)).toEqual([3, 2, 2]);
    expect(shards[1].pastValues[0]).toBe(b.pastValues[3 * L * C]);
    expect(shards[2].keys).toEqual(b.keys.slice(5));
    expect(shardBatch(b, 10).length).toBe(7);
    const all = shards.reduce((n, s) => n + lossWeight(s, H, [0, 1]), 0);
    expect(all).toBe(lossWeight(b, H, [0, 1]));
    expect(all).toBeLessThan(7 * H * C); // the mask removes some
  });

  it('combined shard gradients equal the whole batch gradient', () => {
    const model = TtmModel.create(config(), 3);
    const vars = trainableVariables(model, () => true);
    const batch = makeBatch(10, 11);
    const gradsOf = (b: WindowBatch) => {
      const inputs = batchInputs(b, options);
      const r = shardGradients(model, vars, inputs, {});
      tf.dispose(Object.values(inputs));
      return r;
    };
    const whole = gradsOf(batch);
    const shards = shardBatch(batch, 3);
    const parts = shards.map(gradsOf);
    const combined = combineShards(parts, shards.map((s) => lossWeight(s, H, [0, 1])));
    expect(combined.loss).toBeCloseTo(whole.loss, 5);
    for (const [name, g] of whole.grads) expectClose(name, combined.grads.get(name)!, g, { atolOfMax: 1e-5, rtol: 1e-4 });
    model.dispose();
  });

  it('a step on two threads updates the weights as a step on one thread', async () => {
    const batch = makeBatch(12, 5);
    const one = TtmModel.create(config(), 9);
    const two = TtmModel.create(config(), 9);
    const varsOne = trainableVariables(one, (p) => isTrainable('fc1-fc2', p));
    const varsTwo = trainableVariables(two, (p) => isTrainable('fc1-fc2', p));
    const optOne = new AdamW(varsOne, { lr: 1e-3 });
    const optTwo = new AdamW(varsTwo, { lr: 1e-3 });
    const stepper = await ParallelStepper.start(two, varsTwo, { threads: 2, inputOptions: options, seed: 1 });
    try {
      for (let step = 0; step < 3; step++) {
        const inputs = batchInputs(batch, options);
        const lossOne = trainStep(one, optOne, varsOne, inputs, { lr: 1e-3 });
        tf.dispose(Object.values(inputs));
        const lossTwo = await stepper.step(batch, optTwo, step, { lr: 1e-3 });
        expect(lossTwo).toBeCloseTo(lossOne, 4);
      }
      for (const [path, v] of Object.entries(varsOne)) {
        expectClose(path, varsTwo[path].dataSync(), v.dataSync(), { atolOfMax: 1e-4, rtol: 1e-3 });
      }
    } finally {
      await stepper.close();
      optOne.dispose();
      optTwo.dispose();
      one.dispose();
      two.dispose();
    }
  });

  it('refuses BatchNorm models, whose batch statistics would become shard statistics', () => {
    const model = TtmModel.create(makeTtmConfig({ ...config(), norm_mlp: 'BatchNorm' }), 1);
    expect(parallelObstacle(model)).toMatch(/BatchNorm/);
    model.dispose();
    const plain = TtmModel.create(config(), 1);
    expect(parallelObstacle(plain)).toBeUndefined();
    plain.dispose();
  });
});
