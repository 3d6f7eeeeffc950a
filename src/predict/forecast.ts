/**
 * Batched forecasting: windows → model → original units (the preprocessor's scaling undone),
 * never negative (units and revenue cannot be).
 */
import { windowBatches, type Preprocessor, type WeeklyDataset, type WindowBatch, type WindowRef } from '../data/index.js';
import { indexVocab, outputHorizon, type TtmModel } from '../model/index.js';
import { checkBatchIndices, inverseTransform, type InputOptions, type ValueTransform } from './batch.js';
import { batchOutputs } from './forecast-worker.js';
import type { BatchOutputs, ForecastPool } from './parallel-forecast.js';

export interface ForecastOptions {
  preprocessor: Preprocessor;
  batchSize?: number;
  freqToken?: number;
  transform?: ValueTransform;
  /** Clip at 0 (default true). */
  clip?: boolean;
  /** Worker threads that share the batches (parallel-forecast.ts); the same forecasts, sooner. */
  pool?: ForecastPool;
}

export interface WindowForecasts {
  refs: WindowRef[];
  horizon: number;
  channels: number;
  /** per window, [H, C] row-major, original units */
  values: Float64Array[];
  /** seconds spent inside the model (for the latency alert) */
  modelSeconds: number;
}

export async function forecastWindows(model: TtmModel, ds: WeeklyDataset, refs: WindowRef[], o: ForecastOptions): Promise<WindowForecasts> {
  const cfg = model.config;
  const H = outputHorizon(cfg);
  const C = ds.channels.length;
  const values: Float64Array[] = [];
  const withCategorical = (cfg.categorical_vocab_size_list?.length ?? 0) > 0;
  // The forecast channel mixer reads the exogenous channels' future; the targets' future is
  // never filled (futureTargets: false), so no target of a forecast week reaches the model.
  // The same input options go to the pool's workers, so they build the same inputs.
  const withFuture = cfg.enable_forecast_channel_mixing && (cfg.exogenous_channel_indices?.length ?? 0) > 0;
  const inputOptions: InputOptions = { withCategorical, withFuture, freqToken: o.freqToken, transform: o.transform, vocab: indexVocab(cfg) };
  const batches = windowBatches(ds, refs, { context: cfg.context_length, horizon: H, batchSize: o.batchSize ?? 256, preprocessor: o.preprocessor, futureTargets: false });
  const own = (b: WindowBatch) => batchOutputs(model, b, inputOptions);
  const emit = (b: WindowBatch, { data, shape }: BatchOutputs) => {
    const Cp = shape[2];
    // a batch of a covariate model holds the targets then the exogenous channels
    const Cb = b.channels;
    for (let i = 0; i < b.size; i++) {
      const v = new Float64Array(H * C);
      for (let h = 0; h < H; h++) {
        for (let c = 0; c < C; c++) {
          const scaled = c < Cp ? inverseTransform(data[(i * H + h) * Cp + c], o.transform) : 0;
          const x = scaled * b.std[i * Cb + c] + b.mean[i * Cb + c];
          v[h * C + c] = o.clip === false ? x : Math.max(0, x);
        }
      }
      values.push(v);
    }
  };
  let modelSeconds = 0;
  if (o.pool && o.pool.workerThreads > 0) {
    if (o.pool.model !== model) throw new Error('forecastWindows: the pool holds another model');
    // Indices are checked here, so that a bad one is the same typed error as on one thread.
    function* checked(): Generator<WindowBatch> {
      for (const b of batches) {
        checkBatchIndices(b, inputOptions);
        yield b;
      }
    }
    // Wall time of the whole run (the model's share cannot be told apart from the data's here).
    const t0 = performance.now();
    const done = await o.pool.run(checked(), inputOptions, own);
    modelSeconds = (performance.now() - t0) / 1000;
    for (const { batch, outputs } of done) emit(batch, outputs);
  } else {
    for (const batch of batches) {
      const t0 = performance.now();
      const outputs = await own(batch);
      modelSeconds += (performance.now() - t0) / 1000;
      emit(batch, outputs);
    }
  }
  return { refs, horizon: H, channels: C, values, modelSeconds };
}
