/**
 * A data-parallel training worker (worker_threads): holds a copy of the model on its own
 * TensorFlow.js engine and returns the loss and gradients of the shards it is sent. The main
 * thread owns the optimizer and sends the updated weights with the next shard.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../data/index.js';
import { loadStateDict } from '../io/checkpoint.js';
import type { TensorToWrite } from '../io/safetensors.js';
import { disposeInputs, makeTtmConfig, TtmModel, type LossName, type TtmConfig } from '../model/index.js';
import { batchInputs, type InputOptions } from '../predict/batch.js';
import { initBackend, type BackendName } from '../runtime/backend.js';
import { enableGradients } from '../runtime/gradients.js';
import { dropoutSeed } from './dropout-seed.js';
import { prepareForTraining, shardGradients } from './train-step.js';

export interface WorkerInit {
  type: 'init';
  backend: BackendName;
  config: TtmConfig;
  /** The model's state dict (PyTorch names), loaded with the checked loader. */
  weights: Map<string, TensorToWrite>;
  trainable: string[];
  loss?: LossName;
  inputOptions: InputOptions;
}
export interface WorkerShard {
  type: 'shard';
  shard: WindowBatch;
  /** Trainable weights changed since the last shard. */
  updates: [string, Float32Array][];
  seed: number;
  step: number;
  shardIndex: number;
}
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'grads'; loss: number; grads: [string, Float32Array][] }
  | { type: 'error'; message: string };

let model: TtmModel | undefined;
let vars: Record<string, tf.Variable> = {};
let init: WorkerInit | undefined;

function assign(v: tf.Variable, data: Float32Array): void {
  const t = tf.tensor(data, v.shape, v.dtype);
  v.assign(t);
  t.dispose();
}

async function handle(msg: WorkerInit | WorkerShard): Promise<WorkerReply> {
  if (msg.type === 'init') {
    init = msg;
    await initBackend(msg.backend);
    await enableGradients();
    model = TtmModel.create(makeTtmConfig(msg.config));
    loadStateDict(model, msg.weights, 'training worker: the main thread\'s weights');
    const byPath = new Map(model.namedVariables());
    vars = Object.fromEntries(msg.trainable.map((p) => [p, byPath.get(p)!]));
    prepareForTraining(model, vars);
    return { type: 'ready' };
  }
  if (!model || !init) throw new Error('worker: shard before init');
  for (const [path, data] of msg.updates) assign(vars[path], data);
  const inputs = batchInputs(msg.shard, init.inputOptions);
  let k = 0;
  const { loss, grads } = shardGradients(model, vars, inputs, {
    loss: init.loss,
    nextSeed: () => dropoutSeed(msg.seed, msg.step, msg.shardIndex, k++),
  });
  disposeInputs(inputs);
  return { type: 'grads', loss, grads: [...grads] };
}

parentPort?.on('message', (msg: WorkerInit | WorkerShard) => {
  handle(msg).then(
    (reply) => {
      const transfer = reply.type === 'grads' ? reply.grads.map(([, g]) => g.buffer as ArrayBuffer) : [];
      parentPort!.postMessage(reply, transfer);
    },
    (err: unknown) => parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
