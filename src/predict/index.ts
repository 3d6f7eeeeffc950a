export { batchInputs, type InputOptions } from './batch.js';
export { forecastWindows, type ForecastOptions, type WindowForecasts } from './forecast.js';
export { applyBlend, robustLevel, type Blend } from './blend.js';
export { forecastSeries, historyBefore, type Forecaster, type ForecasterMeta, type SeriesForecasts } from './forecaster.js';
