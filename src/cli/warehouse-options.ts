/**
 * The warehouse flags shared by the commands that read sales data (--table, --query next to
 * --data) and by those that write results (--to, --to-table). Values are checked here; the
 * library does the connecting.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { DataSource } from '../data/index.js';

export const DATA_HELP = 'sales CSV, or a postgres:// URL (with --table or --query)';

/** Adds --table and --query, which make --data a PostgreSQL source. */
export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--table <name>', 'read the sales rows from this PostgreSQL table (schema.name allowed); connection from --data postgres://… or PGHOST, PGUSER, …')
    .option('--query <sql>', 'read the sales rows from this SELECT instead of a table');
}

/** The DataSource the flags name (the URL's password never reaches a message). */
export async function sourceFromFlags(flags: { data: string; table?: string; query?: string }, cmd: Command): Promise<DataSource> {
  const { dataSource } = await import('../data/index.js');
  return dataSource({ data: flags.data, table: flags.table, query: flags.query, dataIsDefault: cmd.getOptionValueSource('data') === 'default' });
}

/** Adds --to and --to-table (default `table`). */
export function addSinkOptions(cmd: Command, what: string, table: string): Command {
  return cmd
    .option('--to <url>', `write ${what} into PostgreSQL (postgres://user@host/db; postgres:// alone takes PGHOST, PGUSER, … ; password from the URL, PGPASSWORD or ~/.pgpass)`)
    .option('--to-table <name>', `table for --to, created when absent (schema.name allowed)`, table);
}

/** The --to URL, checked, and the server tried once, so a wrong password fails before the work. */
export async function sinkFromFlags(flags: { to?: string; toTable?: string }): Promise<{ url: string; table: string } | undefined> {
  if (flags.to === undefined) return undefined;
  const { checkPg, isPgUrl } = await import('../data/index.js');
  if (!isPgUrl(flags.to)) throw new UsageError(`--to ${flags.to}: expected a postgres:// URL`);
  const table = flags.toTable ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/.test(table)) throw new UsageError(`--to-table ${table}: expected a table name (letters, digits, _; schema.name allowed)`);
  await checkPg({ url: flags.to });
  return { url: flags.to, table };
}
