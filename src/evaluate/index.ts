/** Public API of src/evaluate: metrics, baselines, intervals, drift, alerts, monitoring, reports. */
export { SEASON, mae, rmse, wape, smape, mape, bias, maseScale, mase, maseDetail, metricSet } from './metrics.js';
export type { Values, WindowForecast, MetricSet } from './metrics.js';
export { seasonalNaive, naive, meanLast, medianLast, BASELINES } from './baselines.js';
export type { Baseline, BaselineName } from './baselines.js';
export {
  CONFORMAL_METHOD,
  intervalScale,
  calibrateConformal,
  conformalQuantile,
  conformalInterval,
  coverage,
  calibrationToJSON,
  calibrationFromJSON,
} from './conformal.js';
export type { ConformalCalibration, Interval } from './conformal.js';
export { trainingStats, drift, psi, trainingStatsFromJSON } from './drift.js';
export type { TrainingStats, Drift } from './drift.js';
export { checkAlerts } from './alerts.js';
export type { Alert, AlertName, HealthFigures } from './alerts.js';
export { rollingMae, mapeByProduto, r2, r2ByRegiao } from './monitoring.js';
export type { ForecastPoint } from './monitoring.js';
export { SKILL_METRICS, skill, skillTable } from './skill.js';
export type { Skill } from './skill.js';
export { reportSvg, escapeXml } from './report-svg.js';
export type { RegionPanel, SvgOptions } from './report-svg.js';
export { BACKTEST_BASELINES, backtestOrigins, backtestWindows, scoreBacktest } from './backtest.js';
export type { BacktestInput, BacktestReport, BacktestWindowOptions, ChannelMonitoring, IntervalScore } from './backtest.js';
export { evaluateForecaster, saveEvaluation } from './evaluate-run.js';
export type { EvaluateOptions, Evaluation, EvaluationReport } from './evaluate-run.js';
export { evaluationHtml, evaluationSvg } from './evaluation-report.js';
export { isPeakWeek } from './peaks.js';
