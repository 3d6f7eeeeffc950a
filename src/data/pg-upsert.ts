/**
 * Writes rows into a PostgreSQL table in one transaction: the table is created when absent (new
 * value columns are added), and rows are upserted on the table's key, so a re-run replaces its own
 * rows instead of duplicating them. Any failure rolls everything back: the table keeps what it
 * held before.
 */
import type pg from 'pg';
import { DatabaseError } from '../errors.js';
import { connectPg, queryError, type PgConnection } from './pg-connection.js';

export type ColumnType = 'integer' | 'date' | 'text' | 'double precision' | 'timestamptz' | 'boolean';

export interface UpsertTable {
  /** `name` or `schema.name` */
  name: string;
  columns: { name: string; type: ColumnType }[];
  /** the primary key: upserts replace the row with the same key */
  key: string[];
}

export interface UpsertOptions {
  /** rows per INSERT statement (all statements share the one transaction) */
  batch?: number;
}

/** Upserts `rows` (values in `table.columns` order) and commits; resolves to what was written where. */
export async function upsertRows(conn: PgConnection, table: UpsertTable, rows: readonly unknown[][], o: UpsertOptions = {}): Promise<{ rows: number; table: string; server: string }> {
  const batch = o.batch ?? 20_000;
  const { client, shown } = await connectPg(conn);
  const name = qualified(client, table.name);
  const col = (c: string) => client.escapeIdentifier(c);
  let step = 'begin';
  try {
    await client.query('BEGIN');
    // Writers of one table take turns (two cron runs at once would race to create it).
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ttm:${table.name}`]);
    step = `create table ${table.name}`;
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${name} (${table.columns.map((c) => `${col(c.name)} ${c.type}${table.key.includes(c.name) ? ' NOT NULL' : ''}`).join(', ')}, PRIMARY KEY (${table.key.map(col).join(', ')}))`,
    );
    step = `add columns to ${table.name}`;
    const have = new Set((await client.query(`SELECT * FROM ${name} LIMIT 0`)).fields.map((f) => f.name));
    const missingKey = table.key.filter((k) => !have.has(k));
    if (missingKey.length > 0) {
      throw new DatabaseError(`${shown}: table ${table.name} exists without the key column(s) ${missingKey.join(', ')}`, { hint: 'write to another table with --to-table, or rename the existing one' });
    }
    for (const c of table.columns) if (!have.has(c.name)) await client.query(`ALTER TABLE ${name} ADD COLUMN ${col(c.name)} ${c.type}`);
    step = `write ${table.name}`;
    const names = table.columns.map((c) => col(c.name)).join(', ');
    const arrays = table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    const update = table.columns.filter((c) => !table.key.includes(c.name)).map((c) => `${col(c.name)} = EXCLUDED.${col(c.name)}`);
    const sql = `INSERT INTO ${name} (${names}) SELECT * FROM unnest(${arrays}) ON CONFLICT (${table.key.map(col).join(', ')}) DO ${update.length ? `UPDATE SET ${update.join(', ')}` : 'NOTHING'}`;
    for (let start = 0; start < rows.length; start += batch) {
      const part = rows.slice(start, start + batch);
      await client.query(sql, table.columns.map((_, i) => part.map((r) => r[i] ?? null)));
    }
    step = 'commit';
    await client.query('COMMIT');
    return { rows: rows.length, table: table.name, server: shown };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (err instanceof DatabaseError) throw err;
    const e = queryError(err, shown, `${step} failed, nothing written`);
    throw new DatabaseError(e.message, { cause: err, hint: (err as { code?: string }).code === '42P10' ? `table ${table.name} has no unique key on (${table.key.join(', ')}): write to another --to-table` : undefined });
  } finally {
    await client.end().catch(() => undefined);
  }
}

function qualified(client: pg.Client, name: string): string {
  return name.split('.').map((p) => client.escapeIdentifier(p)).join('.');
}
