/**
 * Point-forecast accuracy metrics, with the conventions of the dunnhumby benchmark's
 * baselines.json ("conventions"), so our figures and that independent implementation agree:
 *
 * - MAE   mean |e| over all series x horizon points
 * - RMSE  sqrt(mean e^2) over all points
 * - WAPE  sum |e| / sum |y|, pooled over all points (a fraction, not a percent)
 * - sMAPE 100 * mean 2|e| / (|y| + |yhat|), 0/0 := 0, over all points (percent)
 * - MAPE  100 * mean |e| / y over the points with y > 0 (percent)
 * - MASE  mean over series of MAE_i / in-sample seasonal-naive(52) MAE_i; the lag-1 scale when
 *         the history has fewer than 53 weeks or the lag-52 scale is 0; series whose scale is
 *         still 0 are left out
 * - bias  mean (yhat - y) over all points, in the channel's units (positive: over-forecast)
 *
 * e = yhat - y. A metric with nothing to average (no points, no y > 0, sum |y| = 0, no series
 * with a MASE scale) is NaN, which JSON writes as null.
 */
import { InternalError } from '../errors.js';

export type Values = ArrayLike<number>;

import { SEASON } from '../data/index.js';

/** The season of weekly retail data: one year (defined with the calendar in src/data). */
export { SEASON };

function checkLengths(actual: Values, forecast: Values, what: string): void {
  if (actual.length !== forecast.length) {
    throw new InternalError(`${what}: actual has ${actual.length} points, forecast ${forecast.length}`);
  }
}

/** Mean absolute error. */
export function mae(actual: Values, forecast: Values): number {
  checkLengths(actual, forecast, 'mae');
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(forecast[i] - actual[i]);
  return s / actual.length;
}

/** Root mean squared error. */
export function rmse(actual: Values, forecast: Values): number {
  checkLengths(actual, forecast, 'rmse');
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (forecast[i] - actual[i]) ** 2;
  return Math.sqrt(s / actual.length);
}

/** Weighted absolute percentage error: sum |e| / sum |y| (a fraction). */
export function wape(actual: Values, forecast: Values): number {
  checkLengths(actual, forecast, 'wape');
  let err = 0;
  let tot = 0;
  for (let i = 0; i < actual.length; i++) {
    err += Math.abs(forecast[i] - actual[i]);
    tot += Math.abs(actual[i]);
  }
  return tot > 0 ? err / tot : NaN;
}

/** Symmetric MAPE in percent, 0/0 counted as 0. */
export function smape(actual: Values, forecast: Values): number {
  checkLengths(actual, forecast, 'smape');
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const den = Math.abs(actual[i]) + Math.abs(forecast[i]);
    if (den > 0) s += (2 * Math.abs(forecast[i] - actual[i])) / den;
  }
  return (100 * s) / actual.length;
}

/** MAPE in percent over the points with y > 0 (zero-sales weeks are skipped). */
export function mape(actual: Values, forecast: Values): number {
  checkLengths(actual, forecast, 'mape');
  let s = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] > 0) {
      s += Math.abs(forecast[i] - actual[i]) / actual[i];
      n++;
    }
  }
  return n > 0 ? (100 * s) / n : NaN;
}

/** Mean error yhat - y (positive: the forecast is too high). */
export function bias(actual: Values, forecast: Values): number {
  checkLengths(actual, forecast, 'bias');
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += forecast[i] - actual[i];
  return s / actual.length;
}

/** In-sample MAE of the lag-`lag` naive forecast over a history: mean |y_t - y_{t-lag}|. */
function laggedMae(history: Values, lag: number): number {
  const n = history.length - lag;
  if (n <= 0) return 0;
  let s = 0;
  for (let t = lag; t < history.length; t++) s += Math.abs(history[t] - history[t - lag]);
  return s / n;
}

/** The MASE scale of one series and the lag it used; scale 0 means "leave this series out". */
export function maseScale(history: Values, season = SEASON): { scale: number; lag: number } {
  if (history.length > season) {
    const scale = laggedMae(history, season);
    if (scale > 0) return { scale, lag: season };
  }
  return { scale: laggedMae(history, 1), lag: 1 };
}

/** One series' forecast of one window: the history before the window, actuals and forecast. */
export interface WindowForecast {
  history: Values;
  actual: Values;
  forecast: Values;
}

/** Mean over windows of MAE_i / scale_i, and how many windows had a nonzero scale. */
export function maseDetail(windows: readonly WindowForecast[], season = SEASON): { mase: number; nSeries: number } {
  let s = 0;
  let n = 0;
  for (const w of windows) {
    const { scale } = maseScale(w.history, season);
    if (scale > 0) {
      s += mae(w.actual, w.forecast) / scale;
      n++;
    }
  }
  return { mase: n > 0 ? s / n : NaN, nSeries: n };
}

/** Mean absolute scaled error over windows (see the file comment). */
export function mase(windows: readonly WindowForecast[], season = SEASON): number {
  return maseDetail(windows, season).mase;
}

/** Every metric of one channel, pooled over the windows' points as baselines.json does. */
export interface MetricSet {
  mae: number;
  rmse: number;
  wape: number;
  smape: number;
  mape: number;
  mase: number;
  bias: number;
  nPoints: number;
  /** Points with y > 0, the ones MAPE averages over. */
  nPointsPositive: number;
  /** Windows with a nonzero MASE scale, the ones MASE averages over. */
  nSeriesMase: number;
}

/** Concatenates the windows' actuals and forecasts into two flat arrays. */
export function poolWindows(windows: readonly WindowForecast[]): { actual: Float64Array; forecast: Float64Array } {
  let total = 0;
  for (const w of windows) {
    checkLengths(w.actual, w.forecast, 'window');
    total += w.actual.length;
  }
  const actual = new Float64Array(total);
  const forecast = new Float64Array(total);
  let k = 0;
  for (const w of windows) {
    actual.set(w.actual, k);
    forecast.set(w.forecast, k);
    k += w.actual.length;
  }
  return { actual, forecast };
}

/** All metrics of one channel over a set of windows (series x origins). */
export function metricSet(windows: readonly WindowForecast[], season = SEASON): MetricSet {
  const { actual, forecast } = poolWindows(windows);
  const { mase: m, nSeries } = maseDetail(windows, season);
  let nPositive = 0;
  for (const y of actual) if (y > 0) nPositive++;
  return {
    mae: mae(actual, forecast),
    rmse: rmse(actual, forecast),
    wape: wape(actual, forecast),
    smape: smape(actual, forecast),
    mape: mape(actual, forecast),
    mase: m,
    bias: bias(actual, forecast),
    nPoints: actual.length,
    nPointsPositive: nPositive,
    nSeriesMase: nSeries,
  };
}
