/**
 * Sales rows from a PostgreSQL table or query, streamed through a server-side cursor (pg-cursor)
 * in batches, so memory does not grow with the table. The same columns and checks as the CSV
 * reader; a bad value names the row's key (produto_cat, uf_cat, date) instead of a line number.
 * Values arrive as the server's text, so numbers are parsed exactly as in a CSV.
 */
import Cursor from 'pg-cursor';
import type pg from 'pg';
import { DataError } from '../errors.js';
import { connectPg, queryError, type PgConnection } from './pg-connection.js';
import { REQUIRED_COLUMNS, type CsvRow } from './read-csv.js';
import { parseDay } from './weeks.js';

/** A table (`name` or `schema.name`) or a SELECT, on a connection. */
export interface PgQuery extends PgConnection {
  table?: string;
  query?: string;
}

const BATCH = 10_000;
/** Every value as the server's text: no Date objects, no float rounding before our own parse. */
const asText = { getTypeParser: () => (value: string) => value };

// Type OIDs (pg_type) accepted per kind of column; text types are parsed value by value.
const TEXT = [25, 1043, 1042, 705];
const NUMBER = [21, 23, 20, 700, 701, 1700, ...TEXT];
const DATE = [1082, 1114, 1184, ...TEXT];
const TYPE_NAMES: Record<number, string> = { 16: 'boolean', 17: 'bytea', 114: 'json', 3802: 'jsonb', 1083: 'time', 1186: 'interval', 2950: 'uuid', 1082: 'date', 23: 'integer', 1700: 'numeric', 25: 'text' };

/** The statement a PgQuery runs, and what messages call it. */
function statement(client: pg.Client, q: PgQuery, columns?: readonly string[]): string {
  if (q.query !== undefined) return q.query;
  const table = q.table!.split('.').map((p) => client.escapeIdentifier(p)).join('.');
  return `SELECT ${columns ? columns.map((c) => client.escapeIdentifier(c)).join(', ') : '*'} FROM ${table}`;
}

/** What messages call the source: the URL without password, and the table or "query". */
export function describePgQuery(shown: string, q: PgQuery): string {
  return q.table !== undefined ? `${shown} table ${q.table}` : `${shown} query`;
}

/**
 * Streams the rows of `q` and calls `onRow` for each (the row object is reused). Resolves to the
 * number of rows; rejects with a DataError (bad column, type or value, unknown table) or a
 * DatabaseError (connection, permission).
 */
export async function forEachPgRow(q: PgQuery, onRow: (row: CsvRow) => void): Promise<{ rows: number; source: string }> {
  if ((q.table === undefined) === (q.query === undefined)) throw new DataError('a PostgreSQL source needs --table NAME or --query "SELECT …" (one of them)');
  const { client, shown } = await connectPg(q);
  const source = describePgQuery(shown, q);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let columns: readonly string[] | undefined;
    if (q.table !== undefined) {
      // An empty probe names the table's columns, so only the five needed ones travel.
      const probe = await client.query({ text: `${statement(client, q)} LIMIT 0`, types: asText }).catch((err) => {
        throw sourceError(err, source, q);
      });
      headerIndex(probe.fields, source);
      columns = REQUIRED_COLUMNS;
    }
    const cursor = client.query(new Cursor(statement(client, q, columns), [], { rowMode: 'array', types: asText }));
    let rows = 0;
    let check: ((values: (string | null)[]) => CsvRow) | undefined;
    for (;;) {
      const { batch, fields } = await read(cursor).catch((err) => {
        throw sourceError(err, source, q);
      });
      check ??= rowChecker(headerIndex(fields, source), fields, source);
      for (const values of batch) {
        const row = check(values);
        row.record = ++rows;
        onRow(row);
      }
      if (batch.length < BATCH) break;
    }
    await cursor.close();
    await client.query('COMMIT');
    if (rows === 0) throw new DataError(`${source}: no rows`, { hint: 'the table is empty or the query selects nothing' });
    return { rows, source };
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Field {
  name: string;
  dataTypeID: number;
}

function read(cursor: Cursor<unknown[]>): Promise<{ batch: (string | null)[][]; fields: Field[] }> {
  return new Promise((resolve, reject) => {
    (cursor.read as unknown as (n: number, cb: (err: Error | undefined, rows: (string | null)[][], result: { fields: Field[] }) => void) => void)(BATCH, (err, rows, result) =>
      err ? reject(err) : resolve({ batch: rows, fields: result.fields }),
    );
  });
}

/** Unknown table, bad query: DataErrors (the data named does not exist); the rest DatabaseErrors. */
function sourceError(err: unknown, source: string, q: PgQuery): Error {
  if (err instanceof DataError) return err;
  const e = err as Error & { code?: string };
  const why = e.message.split('\n')[0];
  if (e.code === '42P01' || e.code === '3F000') {
    return new DataError(`${source}: ${why}`, { hint: q.table !== undefined ? 'check --table (schema.table for another schema than the search_path)' : 'check the table names in --query', cause: err });
  }
  if (e.code !== undefined && /^(42|22)/.test(e.code)) return new DataError(`${source}: ${why} (SQLSTATE ${e.code})`, { hint: 'check the --query text', cause: err });
  return queryError(err, source, 'reading failed');
}

/** Positions of the required columns, and their types checked against what each must hold. */
function headerIndex(fields: readonly Field[], source: string): number[] {
  const seen = new Map<string, number>();
  fields.forEach((f, i) => {
    if (seen.has(f.name)) throw new DataError(`${source}: column "${f.name}" appears twice (columns ${seen.get(f.name)! + 1} and ${i + 1})`, { hint: 'alias one of them in the query' });
    seen.set(f.name, i);
  });
  return REQUIRED_COLUMNS.map((name) => {
    const i = seen.get(name);
    if (i === undefined) {
      throw new DataError(`${source}: column "${name}" not found (has: ${fields.map((f) => f.name).join(', ')})`, { hint: `the table or query must give ${REQUIRED_COLUMNS.join(', ')} (alias columns with AS)` });
    }
    const type = fields[i].dataTypeID;
    const date = name === 'date';
    if (!(date ? DATE : NUMBER).includes(type)) {
      const got = TYPE_NAMES[type] ?? `type oid ${type}`;
      throw new DataError(`${source}: column "${name}" is ${got}, expected ${date ? 'a date (date, timestamp or YYYY-MM-DD text)' : 'a number (integer, numeric, real, double precision or text of numbers)'}`, {
        hint: `cast it in a --query, e.g. SELECT ${date ? `${name}::date` : `${name}::numeric`} AS ${name}, …`,
      });
    }
    return i;
  });
}

/** A function that checks one row's values and fills the shared row object. */
function rowChecker(index: number[], fields: readonly Field[], source: string): (values: (string | null)[]) => CsvRow {
  const row: CsvRow = { record: 0, day: 0, produto: 0, regiao: 0, vendas: 0, faturamento: 0 };
  const timestamp = [1114, 1184].includes(fields[index[0]].dataTypeID);
  let dayCache = new Map<string, number>();
  const where = (values: (string | null)[]) =>
    `${source}: row produto_cat=${values[index[1]] ?? 'NULL'}, uf_cat=${values[index[2]] ?? 'NULL'}, date=${values[index[0]] ?? 'NULL'}`;
  const fail = (values: (string | null)[], message: string, hint: string): never => {
    throw new DataError(`${where(values)}: ${message}`, { hint });
  };
  const num = (values: (string | null)[], k: number, integer: boolean): number => {
    const text = values[index[k]];
    const name = REQUIRED_COLUMNS[k];
    if (text === null) return fail(values, `column "${name}" is NULL`, `filter NULLs out or COALESCE(${name}, 0) in a --query`);
    const x = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(x)) return fail(values, `column "${name}": "${text}" is not a number`, 'store plain numbers (a dot as decimal mark), or cast in a --query');
    if (integer && !Number.isInteger(x)) return fail(values, `column "${name}": "${text}" is not an integer code`, `${name} holds integer category codes`);
    return x;
  };
  return (values) => {
    const raw = values[index[0]];
    if (raw === null) return fail(values, 'column "date" is NULL', 'filter rows without a date out in a --query');
    const text = timestamp ? raw.slice(0, 10) : raw.trim();
    let day = dayCache.get(text);
    if (day === undefined) {
      day = parseDay(text);
      if (day === undefined) return fail(values, `column "date": "${raw}" is not a date (expected YYYY-MM-DD)`, 'store dates as date, or as ISO YYYY-MM-DD text');
      if (dayCache.size > 100_000) dayCache = new Map();
      dayCache.set(text, day);
    }
    row.day = day;
    row.produto = num(values, 1, true);
    row.regiao = num(values, 2, true);
    row.vendas = num(values, 3, false);
    row.faturamento = num(values, 4, false);
    return row;
  };
}
