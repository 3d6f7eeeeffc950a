/**
 * A throwaway PostgreSQL server for the warehouse tests: Debian's initdb + pg_ctl on a temporary
 * directory, a free loopback port, the unix socket inside that directory, TLS with a self-signed
 * certificate for 127.0.0.1, and password (SCRAM) authentication. initdb refuses root, so as
 * root the server runs as the package's `postgres` user (runuser). `stop()` removes everything.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres {
  port: number;
  user: string;
  password: string;
  database: string;
  /** the CA file clients verify the server with (the self-signed certificate) */
  caFile: string;
  /** postgres://user:password@127.0.0.1:port/database?sslmode=… */
  url(options?: { password?: string; sslmode?: string; database?: string }): string;
  stop(): void;
}

/** The newest installed server's bin directory, or undefined. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/install-test-packages.sh installs them)');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : undefined;
  const run = (cmd: string, args: string[]) => {
    const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const dir = mkdtempSync(join(tmpdir(), 'ttm-pg-'));
  const own = (p: string) => owner && chownSync(p, owner.uid, owner.gid);
  own(dir);
  const user = 'ttm';
  const password = 'secret-Pa55';
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  own(pwfile);
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  chmodSync(key, 0o600);
  chmodSync(cert, 0o644);
  own(key);
  own(cert);
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-U', user, '--pwfile', pwfile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C', '--no-sync']);
  const port = await freePort();
  const opts = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`];
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', opts.map((o) => (o.includes(' ') ? `"${o}"` : o)).join(' '), '-w', '-t', '60', 'start']);
  const database = 'postgres';
  let stopped = false;
  return {
    port,
    user,
    password,
    database,
    caFile: cert,
    url: (o = {}) => `postgres://${user}:${encodeURIComponent(o.password ?? password)}@127.0.0.1:${port}/${o.database ?? database}${o.sslmode ? `?sslmode=${o.sslmode}` : ''}`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

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
