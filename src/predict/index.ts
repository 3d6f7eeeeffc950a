export { batchInputs, forwardTransform, inverseTransform, type InputOptions, type ValueTransform } from './batch.js';
export { forecastWindows, type ForecastOptions, type WindowForecasts } from './forecast.js';
export { applyBlend, robustLevel, type Blend } from './blend.js';
export { forecastSeries, historyBefore, type Forecaster, type ForecasterMeta, type SeriesForecasts } from './forecaster.js';
export { MIN_HISTORY_WEEKS, findSeries, levelName, predictSeries, predictionsCsv, readPairs } from './predict-run.js';
export type { PredictOptions, PredictResult, SeriesPrediction } from './predict-run.js';
export { terminalChart, type ChartInput } from './terminal-chart.js';
export { findPairs } from './find-pairs.js';
