/**
 * A trained forecaster: the model plus what training stored beside it (preprocessor, blend with
 * the robust level, conformal calibration, training statistics). Point forecasts and intervals
 * in original units, for any windows of a dataset.
 */
import type { Preprocessor, WeeklyDataset, WindowRef } from '../data/index.js';
import type { TtmModel } from '../model/index.js';
import { applyBlend, robustLevel } from './blend.js';
import { forecastWindows } from './forecast.js';
import type { ForecasterMeta } from './forecaster-file.js';
import type { ForecastPool } from './parallel-forecast.js';

export interface Forecaster {
  model: TtmModel;
  preprocessor: Preprocessor;
  meta: ForecasterMeta;
}

export interface SeriesForecasts {
  refs: WindowRef[];
  horizon: number;
  channels: number;
  /** per window [H, C]: what the tool reports (blended, clipped) */
  values: Float64Array[];
  /** per window [H, C]: the model alone */
  modelValues: Float64Array[];
  modelSeconds: number;
}

/** History of series `r.series` before the window's origin, per channel, and its observed mask. */
export function historyBefore(ds: WeeklyDataset, r: WindowRef): { values: Float64Array[]; observed: Uint8Array } {
  const s = ds.series[r.series];
  const at = Math.max(0, Math.min(s.length, r.origin - s.start));
  return { values: s.values.map((v) => v.subarray(0, at)), observed: s.observed.subarray(0, at) };
}

/** `pool` (started on f.model) shares the batches among worker threads: the same forecasts, sooner. */
export async function forecastSeries(f: Forecaster, ds: WeeklyDataset, refs: WindowRef[], batchSize = 256, pool?: ForecastPool): Promise<SeriesForecasts> {
  const raw = await forecastWindows(f.model, ds, refs, { preprocessor: f.preprocessor, batchSize, freqToken: f.meta.freq_token, transform: f.meta.transform, pool });
  const values = raw.values.map((v, i) => {
    const h = historyBefore(ds, refs[i]);
    const levels = h.values.map((x) => robustLevel(x, h.observed, f.meta.blend.window));
    return f.meta.blend.window > 0 ? applyBlend(v, levels, f.meta.blend) : v;
  });
  return { refs, horizon: raw.horizon, channels: raw.channels, values, modelValues: raw.values, modelSeconds: raw.modelSeconds };
}
