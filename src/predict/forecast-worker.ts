/**
 * A data-parallel forecast worker (worker_threads): holds a copy of the model, prepared for
 * inference on its own TensorFlow.js engine, and returns the model's raw output for each window
 * batch it is sent. parallel-forecast.ts drives it.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from '../data/index.js';
import { loadStateDict } from '../io/checkpoint.js';
import type { TensorToWrite } from '../io/safetensors.js';
import { disposeInputs, makeTtmConfig, TtmModel, type TtmConfig } from '../model/index.js';
import { initBackend, type BackendName } from '../runtime/backend.js';
import { batchInputs, type InputOptions } from './batch.js';

export interface ForecastWorkerInit {
  type: 'init';
  backend: BackendName;
  config: TtmConfig;
  /** The model's state dict (PyTorch names), loaded with the checked loader. */
  weights: Map<string, TensorToWrite>;
}
export interface ForecastWorkerBatch {
  type: 'batch';
  batch: WindowBatch;
  inputOptions: InputOptions;
}
export type ForecastWorkerReply =
  | { type: 'ready' }
  /** prediction_outputs [B, H, Cp] */
  | { type: 'outputs'; data: Float32Array; shape: number[] }
  | { type: 'error'; message: string };

let model: TtmModel | undefined;

/** The model's prediction for one batch, as the main thread computes it (forecast.ts). */
export async function batchOutputs(m: TtmModel, batch: WindowBatch, inputOptions: InputOptions): Promise<{ data: Float32Array; shape: number[] }> {
  const inputs = batchInputs(batch, inputOptions);
  try {
    const out = tf.tidy(() => m.forward(inputs).predictionOutputs);
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return { data, shape: out.shape };
  } finally {
    disposeInputs(inputs);
  }
}

async function handle(msg: ForecastWorkerInit | ForecastWorkerBatch): Promise<ForecastWorkerReply> {
  if (msg.type === 'init') {
    await initBackend(msg.backend);
    model = TtmModel.create(makeTtmConfig(msg.config));
    loadStateDict(model, msg.weights, "forecast worker: the main thread's weights");
    model.prepareForInference();
    return { type: 'ready' };
  }
  if (!model) throw new Error('batch before init');
  return { type: 'outputs', ...(await batchOutputs(model, msg.batch, msg.inputOptions)) };
}

parentPort?.on('message', (msg: ForecastWorkerInit | ForecastWorkerBatch) => {
  handle(msg).then(
    (reply) => parentPort!.postMessage(reply, reply.type === 'outputs' ? [reply.data.buffer as ArrayBuffer] : []),
    (err: unknown) => parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
