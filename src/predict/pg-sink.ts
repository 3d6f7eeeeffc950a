/**
 * `ttm predict --to postgres://…`: forecasts as rows of a warehouse table, one per series and
 * forecast week, with the model version and the run's time. Upserted on (produto_cat, uf_cat,
 * week, model_version) in one transaction: a re-run of the same model replaces its rows, a
 * failure leaves the table as it was.
 */
import { upsertRows, type PgConnection, type UpsertTable } from '../data/index.js';
import { levelName, type PredictResult } from './predict-run.js';

export const FORECAST_TABLE = 'forecasts';

export interface ForecastRun {
  modelVersion: string;
  /** when the run started (one timestamp for all its rows) */
  runAt: Date;
  /** the data source as shown in messages (no password) */
  dataSource: string;
}

/** The table's shape for a result: fixed columns, the channels, then per level each channel's lo and hi. */
export function forecastTable(r: PredictResult, name = FORECAST_TABLE): UpsertTable {
  const value = (c: string) => ({ name: c, type: 'double precision' as const });
  const bounds = r.levels.flatMap((l) => r.channels.flatMap((ch) => [`${ch}_lo_${levelName(l).replace('.', '_')}`, `${ch}_hi_${levelName(l).replace('.', '_')}`]));
  return {
    name,
    columns: [
      { name: 'produto_cat', type: 'integer' },
      { name: 'uf_cat', type: 'integer' },
      { name: 'week', type: 'date' },
      { name: 'model_version', type: 'text' },
      { name: 'run_at', type: 'timestamptz' },
      { name: 'last_week', type: 'date' },
      { name: 'step', type: 'integer' },
      { name: 'data_source', type: 'text' },
      ...r.channels.map(value),
      ...bounds.map(value),
    ],
    key: ['produto_cat', 'uf_cat', 'week', 'model_version'],
  };
}

/** One row per series and week, in `forecastTable` column order; an unbounded interval side is NULL. */
export function forecastRows(r: PredictResult, run: ForecastRun): unknown[][] {
  const cell = (x: number) => (Number.isFinite(x) ? x : null);
  const runAt = run.runAt.toISOString();
  const rows: unknown[][] = [];
  for (const p of r.predictions) {
    p.dates.forEach((week, h) => {
      const row: unknown[] = [p.produto, p.regiao, week, run.modelVersion, runAt, p.lastWeek, h + 1, run.dataSource, ...r.channels.map((ch) => cell(p.values[ch][h]))];
      for (const l of r.levels) for (const ch of r.channels) row.push(cell(p.intervals[levelName(l)][ch].lo[h]), cell(p.intervals[levelName(l)][ch].hi[h]));
      rows.push(row);
    });
  }
  return rows;
}

/** Upserts the forecasts into `table` (created when absent) in one transaction. */
export async function writeForecasts(conn: PgConnection, r: PredictResult, run: ForecastRun, table = FORECAST_TABLE): Promise<{ rows: number; table: string; server: string }> {
  return upsertRows(conn, forecastTable(r, table), forecastRows(r, run));
}
