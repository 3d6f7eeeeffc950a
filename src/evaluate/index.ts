/** Public API of src/evaluate: metrics, baselines, intervals, drift, alerts, monitoring, reports. */
export * from './metrics.js';
export * from './baselines.js';
export * from './conformal.js';
export * from './drift.js';
export * from './alerts.js';
export * from './monitoring.js';
export * from './skill.js';
export * from './report-svg.js';
