/**
 * Data-parallel training steps on worker threads. tfjs-backend-wasm runs one thread under Node,
 * so a second core stays idle; here each step's batch is split into shards, the main thread
 * and W−1 workers compute the shards' gradients at the same time, and the main thread combines
 * them (grad-shards.ts: exact for the batch-mean loss) and applies one AdamW update, whose new
 * weights go out with the next shards.
 *
 * Opt-in (`ttm train --threads N`): results then differ from one thread's in float rounding and
 * dropout masks, and a default run must not depend on the machine's core count. Measured on
 * this 2-core machine: 1.03–1.2x at batch 64 (each shard repeats the step's fixed per-kernel
 * cost, ~33 ms here); more cores and larger batches gain more.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../data/index.js';
import { stateDict } from '../io/checkpoint.js';
import { disposeInputs, forecastChannels, outputHorizon, type LossName, type TtmModel } from '../model/index.js';
import { batchInputs, type InputOptions } from '../predict/batch.js';
import { currentBackend, workerBackend } from '../runtime/backend.js';
import { RequestWorker } from '../runtime/request-worker.js';
import type { AdamW } from './adamw.js';
import { dropoutSeed } from './dropout-seed.js';
import { combineShards, lossWeight, shardBatch, type ShardResult } from './grad-shards.js';
import type { WorkerInit, WorkerReply, WorkerShard } from './grad-worker.js';
import { shardGradients } from './train-step.js';

/**
 * Why `threads` shards cannot train this model, or undefined. BatchNorm normalises with batch
 * statistics in training, which would become per-shard statistics.
 */
export function parallelObstacle(model: TtmModel): string | undefined {
  if (model.config.norm_mlp === 'BatchNorm') return 'BatchNorm models train on one thread (batch statistics would become shard statistics)';
  return undefined;
}

/** The compiled worker (tests run the sources; the worker always runs the build in dist/). */
const WORKER_URL = new URL('../../dist/train/grad-worker.js', import.meta.url);

type GradWorker = RequestWorker<WorkerInit | WorkerShard, WorkerReply>;
const gradWorker = (): GradWorker => new RequestWorker(WORKER_URL, 'training worker');

export interface ParallelStepOptions {
  threads: number;
  loss?: LossName;
  inputOptions: InputOptions;
  seed: number;
}

export class ParallelStepper {
  /** Per worker: weights updated since it last received a shard (latest value per parameter). */
  private readonly stale: Map<string, Float32Array>[];

  private constructor(
    private readonly model: TtmModel,
    private readonly vars: Record<string, tf.Variable>,
    private readonly workers: GradWorker[],
    private readonly o: ParallelStepOptions,
  ) {
    this.stale = workers.map(() => new Map());
  }

  /** Start threads−1 workers holding copies of the model's current weights. */
  static async start(model: TtmModel, vars: Record<string, tf.Variable>, o: ParallelStepOptions): Promise<ParallelStepper> {
    const backend = currentBackend()?.name;
    if (!backend) throw new Error('ParallelStepper: no backend initialised');
    const init: WorkerInit = { type: 'init', backend: workerBackend(backend), config: model.config, weights: stateDict(model), trainable: Object.keys(vars), loss: o.loss, inputOptions: o.inputOptions };
    const workers = Array.from({ length: o.threads - 1 }, gradWorker);
    try {
      await Promise.all(workers.map((w) => w.request(init)));
    } catch (err) {
      await Promise.all(workers.map((w) => w.close()));
      throw err;
    }
    return new ParallelStepper(model, vars, workers, o);
  }

  /** One optimizer step on `batch`; returns the batch loss (before the update). */
  async step(batch: WindowBatch, optimizer: AdamW, step: number, set: { lr: number; beta1?: number }): Promise<number> {
    const cfg = this.model.config;
    const shards = shardBatch(batch, this.workers.length + 1);
    const remote = shards.slice(1).map((shard, j) => {
      const updates = [...this.stale[j]];
      this.stale[j].clear();
      return this.workers[j].request({ type: 'shard', shard, updates, seed: this.o.seed, step, shardIndex: j + 1 });
    });
    const inputs = batchInputs(shards[0], this.o.inputOptions);
    let k = 0;
    let own: ShardResult;
    try {
      own = shardGradients(this.model, this.vars, inputs, { loss: this.o.loss, nextSeed: () => dropoutSeed(this.o.seed, step, 0, k++) });
    } finally {
      disposeInputs(inputs);
    }
    const replies = await Promise.all(remote);
    const results: ShardResult[] = [own];
    for (const r of replies) {
      if (r.type !== 'grads') throw new Error(`training worker: unexpected reply ${r.type}`);
      results.push({ loss: r.loss, grads: new Map(r.grads) });
    }
    const channels = forecastChannels(cfg);
    const weights = shards.map((s) => lossWeight(s, outputHorizon(cfg), channels));
    const combined = combineShards(results, weights);
    const updated = optimizer.applyGradients(Object.fromEntries(combined.grads), set);
    for (const pending of this.stale) for (const [path, value] of updated) pending.set(path, value);
    return combined.loss;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
