/** The summary document `ttm backtest` prints (--json) and writes (summary.json). */
import type { CvSummary } from './cross-validation.js';
import { SCHEMA_VERSION } from '../config/schema-version.js';

export function backtestDocument(
  r: { file: string; summary: CvSummary; trained: number; seconds: number },
  o: { backend: string; data: string; windows: number; step: number; horizon: number; refit: boolean; out: string },
) {
  return {
    schema_version: SCHEMA_VERSION,
    format: 'ttm-backtest' as const,
    kind: 'cross_validation' as const,
    created: new Date().toISOString(),
    backend: o.backend,
    data: o.data,
    windows: o.windows,
    step: o.step,
    refit: o.refit,
    models_trained: r.trained,
    seconds: r.seconds,
    out: o.out,
    ...r.summary,
  };
}

export type BacktestDocument = ReturnType<typeof backtestDocument>;
