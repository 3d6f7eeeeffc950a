/**
 * `ttm evaluate --to postgres://…`: the report's figures as rows of a warehouse table (long
 * format: method, channel, metric, value), with the model version and the run's time. Upserted on
 * (model_version, data_through, origins, method, channel, metric) in one transaction.
 */
import { upsertRows, type PgConnection, type UpsertTable } from '../data/index.js';
import type { EvaluationReport } from './evaluate-run.js';

export const EVALUATION_TABLE = 'evaluation_figures';

export interface EvaluationRun {
  modelVersion: string;
  runAt: Date;
  dataSource: string;
  /** the data's last week (YYYY-MM-DD): with the model and origins, what the figures are about */
  dataThrough: string;
}

export function evaluationTable(name = EVALUATION_TABLE): UpsertTable {
  return {
    name,
    columns: [
      { name: 'model_version', type: 'text' },
      { name: 'data_through', type: 'date' },
      { name: 'origins', type: 'integer' },
      { name: 'method', type: 'text' },
      { name: 'channel', type: 'text' },
      { name: 'metric', type: 'text' },
      { name: 'value', type: 'double precision' },
      { name: 'run_at', type: 'timestamptz' },
      { name: 'data_source', type: 'text' },
      { name: 'healthy', type: 'boolean' },
    ],
    key: ['model_version', 'data_through', 'origins', 'method', 'channel', 'metric'],
  };
}

/**
 * The figures: every method's metrics per channel, ttm's skill against each baseline
 * (`skill_<metric>` under method `skill_vs_<baseline>`), interval coverage and width per level,
 * drift, the rolling 4-week MAE, error rate, latency and the number of alerts. NaN is NULL.
 */
export function evaluationRows(r: EvaluationReport, run: EvaluationRun): unknown[][] {
  const b = r.backtest;
  const figures: [string, string, string, number][] = [];
  for (const [method, byChannel] of Object.entries(b.methods)) {
    for (const [ch, m] of Object.entries(byChannel)) for (const [k, v] of Object.entries(m)) figures.push([method, ch, snake(k), v as number]);
  }
  for (const [ch, byBaseline] of Object.entries(b.skill)) {
    for (const [baseline, s] of Object.entries(byBaseline)) for (const [k, v] of Object.entries(s)) figures.push([`skill_vs_${baseline}`, ch, `skill_${k}`, v]);
  }
  for (const [ch, levels] of Object.entries(b.intervals)) {
    for (const i of levels) {
      const l = String(Math.round(i.level * 1000) / 10).replace('.', '_');
      figures.push(['ttm', ch, `coverage_${l}`, i.coverage], ['ttm', ch, `interval_width_${l}`, i.meanWidth]);
    }
  }
  for (const [ch, d] of Object.entries(r.drift)) figures.push(['drift', ch, 'psi', d.psi], ['drift', ch, 'mean_shift', d.meanShift]);
  for (const [ch, m] of Object.entries(b.monitoring)) figures.push(['ttm', ch, 'rolling_mae_4w', m.rollingMae4w]);
  figures.push(
    ['ttm', '', 'error_rate', b.errorRate],
    ['ttm', '', 'windows', b.windows],
    ['ttm', '', 'series', b.series],
    ['ttm', '', 'held_out_share', r.held_out_share],
    ['ttm', '', 'seconds_per_batch', r.latency.seconds_per_batch],
    ['alerts', '', 'count', r.alerts.length],
  );
  const runAt = run.runAt.toISOString();
  return figures.map(([method, ch, metric, v]) => [run.modelVersion, run.dataThrough, b.origins.length, method, ch, metric, Number.isFinite(v) ? v : null, runAt, run.dataSource, r.healthy]);
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export async function writeEvaluation(conn: PgConnection, r: EvaluationReport, run: EvaluationRun, table = EVALUATION_TABLE): Promise<{ rows: number; table: string; server: string }> {
  return upsertRows(conn, evaluationTable(table), evaluationRows(r, run));
}
