/**
 * Where sales rows come from: a CSV file or a PostgreSQL table or query. `readObservations` is
 * the one entry point every command (and the server) calls; both kinds give the same
 * WeeklyDataset under the same weekly rules.
 */
import { UsageError } from '../errors.js';
import { isPgUrl, maskUrl } from './pg-connection.js';
import { forEachPgRow, type PgQuery } from './pg-source.js';
import type { WeeklyDataset } from './series.js';
import { loadWeekly, weeklyAccumulator, type LoadOptions } from './to-series.js';

export type DataSource = { kind: 'csv'; file: string } | ({ kind: 'postgres' } & PgQuery);

export interface DataSourceFlags {
  /** --data: a CSV path or a postgres:// URL */
  data: string;
  table?: string;
  query?: string;
  /** true when --data was left at its default (then --table / --query connect through PG*) */
  dataIsDefault?: boolean;
}

/**
 * The source that `--data`, `--table` and `--query` name: a postgres:// URL with --table or
 * --query, --table / --query alone (connection from the PG* variables), or a CSV path.
 */
export function dataSource(f: DataSourceFlags): DataSource {
  const pgFlags = f.table !== undefined || f.query !== undefined;
  if (f.table !== undefined && f.query !== undefined) throw new UsageError('--table and --query exclude each other');
  if (isPgUrl(f.data)) {
    if (!pgFlags) throw new UsageError(`--data ${maskUrl(f.data)}: also pass --table NAME or --query "SELECT …"`);
    return { kind: 'postgres', url: f.data, table: f.table, query: f.query };
  }
  if (pgFlags) {
    if (!f.dataIsDefault) throw new UsageError(`--table and --query read from PostgreSQL; --data ${f.data} is a file (pass a postgres:// URL, or leave --data out to connect through PGHOST, PGUSER, …)`);
    return { kind: 'postgres', url: 'postgres://', table: f.table, query: f.query };
  }
  return { kind: 'csv', file: f.data };
}

/** A source for messages and reports: the CSV path, or the URL without password plus table/query. */
export function describeSource(s: DataSource | string): string {
  if (typeof s === 'string') return s;
  if (s.kind === 'csv') return s.file;
  return `${maskUrl(s.url)}${s.table !== undefined ? ` table ${s.table}` : ' query'}`;
}

/**
 * Reads sales rows from a CSV path or a DataSource and aggregates them to weekly series.
 * Errors: DataError (bad file, column, value, unknown table), DatabaseError (connection).
 */
export async function readObservations(source: DataSource | string, options: LoadOptions = {}): Promise<WeeklyDataset> {
  if (typeof source === 'string') return loadWeekly(source, options);
  if (source.kind === 'csv') return loadWeekly(source.file, options);
  const acc = weeklyAccumulator(options);
  const { source: name } = await forEachPgRow(source, acc.add);
  return acc.finish(name);
}
