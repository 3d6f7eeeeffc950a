export { batchInputs, forwardTransform, inverseTransform, type InputOptions, type ValueTransform } from './batch.js';
export { forecastWindows, type ForecastOptions, type WindowForecasts } from './forecast.js';
export { BlendSchema, applyBlend, robustLevel, type Blend } from './blend.js';
export { forecastSeries, historyBefore, type Forecaster, type SeriesForecasts } from './forecaster.js';
export { ForecasterFileSchema, forecasterFileJson, parseForecasterFile, type ForecasterMeta } from './forecaster-file.js';
export { loadForecaster } from './load-forecaster.js';
export {
  CONFORMAL_METHOD,
  PER_STEP_METHOD,
  stepProfile,
  ConformalCalibrationSchema,
  intervalScale,
  calibrateConformal,
  conformalQuantile,
  finiteSampleQuantile,
  conformalRank,
  poolOverSteps,
  conformalInterval,
  calibrationToJSON,
  calibrationFromJSON,
} from './conformal.js';
export type { CalibrationWindow, ConformalCalibration, Interval } from './conformal.js';
export { MIN_HISTORY_WEEKS, findSeries, levelName, predictSeries, predictionsCsv, readPairs } from './predict-run.js';
export type { PredictOptions, PredictResult, SeriesPrediction } from './predict-run.js';
export { terminalChart, type ChartInput } from './terminal-chart.js';
export { findPairs } from './find-pairs.js';
export { FORECAST_TABLE, forecastRows, forecastTable, writeForecasts, type ForecastRun } from './pg-sink.js';
export { mergeForecastCsv, type ForecastPart } from './merge-forecasts.js';
export {
  ForecastMetadataSchema,
  ForecastPointSchema,
  ForecastResponseSchema,
  IntervalBoundsSchema,
  PredictDocumentSchema,
  SeriesForecastSchema,
  SkippedSeriesSchema,
  forecastResponses,
  predictDocument,
  seriesForecast,
} from './forecast-schema.js';
export type { ForecastPoint, ForecastResponse, PredictDocument, SeriesForecast } from './forecast-schema.js';
export { ForecastPool, defaultForecastThreads, forecastThreads, type BatchOutputs } from './parallel-forecast.js';
