/**
 * Batched forecasting: windows → model → original units (the preprocessor's scaling undone),
 * never negative (units and revenue cannot be).
 */
import * as tf from '@tensorflow/tfjs-core';
import { windowBatches, type Preprocessor, type WeeklyDataset, type WindowRef } from '../data/index.js';
import { disposeInputs, indexVocab, outputHorizon, type TtmModel } from '../model/index.js';
import { batchInputs, inverseTransform, type ValueTransform } from './batch.js';

export interface ForecastOptions {
  preprocessor: Preprocessor;
  batchSize?: number;
  freqToken?: number;
  transform?: ValueTransform;
  /** Clip at 0 (default true). */
  clip?: boolean;
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
  const withFuture = cfg.enable_forecast_channel_mixing && (cfg.exogenous_channel_indices?.length ?? 0) > 0;
  const vocab = indexVocab(cfg);
  let modelSeconds = 0;
  for (const b of windowBatches(ds, refs, { context: cfg.context_length, horizon: H, batchSize: o.batchSize ?? 256, preprocessor: o.preprocessor, futureTargets: false })) {
    const t0 = performance.now();
    const inputs = batchInputs(b, { withCategorical, withFuture, freqToken: o.freqToken, transform: o.transform, vocab });
    const out = tf.tidy(() => model.forward(inputs).predictionOutputs);
    const data = await out.data();
    modelSeconds += (performance.now() - t0) / 1000;
    out.dispose();
    disposeInputs(inputs);
    const Cp = out.shape[2];
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
  }
  return { refs, horizon: H, channels: C, values, modelSeconds };
}
