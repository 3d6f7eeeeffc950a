/**
 * PostgreSQL for the warehouse tests: the throwaway server of scripts/test-postgres.mjs (shared
 * with the data benchmark), and small helpers to load a table and run SQL.
 */
export { postgresBin, startPostgres, type TestPostgres } from '../../scripts/test-postgres.mjs';

/** Creates `table` with the given column types and inserts `rows` (one value array per row). */
export async function loadTable(url: string, table: string, columns: [name: string, type: string][], rows: readonly unknown[][]): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url.replace(/\?.*$/, ''), ssl: false });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(`CREATE TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
    const arrays = columns.map((_, i) => rows.map((r) => r[i]));
    await client.query(`INSERT INTO ${table} SELECT * FROM unnest(${columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})`, arrays);
  } finally {
    await client.end();
  }
}

/** Runs SQL on the server and returns the rows (objects). */
export async function sql(url: string, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url.replace(/\?.*$/, ''), ssl: false });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The rows of a sales CSV (date, produto_cat, uf_cat, vendas, faturamento) as value arrays. */
export function csvRows(csv: string): string[][] {
  return csv.trim().split('\n').slice(1).map((l) => l.split(','));
}
