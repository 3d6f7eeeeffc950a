/**
 * The warehouse path end to end on a real PostgreSQL server: the synthetic data loaded into a
 * table gives the same validation, the same trained weights and the same forecasts as the CSV;
 * `--to` upserts forecasts and figures without duplicates; a killed write leaves the previous
 * forecasts; connection and data problems are one-line errors with their exit codes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../src/data/index.js';
import { csvRows, loadTable, postgresBin, sql, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { BIN, REPO, runCli } from '../helpers/run-cli.js';
import { useBackend } from '../helpers/backend.js';
import { buildApp } from '../../src/serve/app.js';
import { singleModel } from '../../src/serve/model-source.js';
import { generateApiKey, hashApiKey } from '../../src/config/auth-file.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
const COLUMNS: [string, string][] = [['date', 'date'], ['produto_cat', 'integer'], ['uf_cat', 'integer'], ['vendas', 'numeric'], ['faturamento', 'numeric']];
const TRAIN = ['--context', '52', '--horizon', '8', '--epochs', '1', '--stride', '4', '--checkpoint-every', '0', '--backend', 'wasm'];
let db: TestPostgres;
let dir: string;
let csv: string;
const url = () => db.url({ sslmode: 'disable' });
const model = (kind: string) => join(dir, `model-${kind}`);

describe.skipIf(!built || !postgresBin())('warehouse source and sink (built CLI, real PostgreSQL)', () => {
  beforeAll(async () => {
    db = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'ttm-cli-pg-'));
    csv = join(dir, 'sales.csv');
    const text = synthesize({ products: 4, regions: 6, weeks: 80, seed: 3 }).csv;
    writeFileSync(csv, text);
    await loadTable(db.url(), 'sales', COLUMNS, csvRows(text));
  }, 60_000);
  afterAll(() => {
    db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ttm validate reads the table exactly as the CSV', () => {
    const args = ['--as-of', '2024-07-15', '--context', '52', '--horizon', '8', '--json'];
    const a = runCli(['validate', '--data', csv, ...args]);
    const b = runCli(['validate', '--data', url(), '--table', 'sales', ...args]);
    expect(b.code, b.stderr).toBe(a.code);
    const fromCsv = JSON.parse(a.stdout);
    const fromPg = JSON.parse(b.stdout);
    expect(fromPg.file).toBe(`postgres://ttm@127.0.0.1:${db.port}/postgres table sales`);
    expect({ ...fromPg, file: '' }).toEqual({ ...fromCsv, file: '' });
    expect(`${b.stdout}${b.stderr}`).not.toContain(db.password);
    // --table without --data: the connection comes from the PG* variables
    const env = { PGHOST: '127.0.0.1', PGPORT: String(db.port), PGUSER: db.user, PGPASSWORD: db.password, PGDATABASE: db.database, PGSSLMODE: 'require' };
    const c = runCli(['validate', '--table', 'sales', ...args], { env });
    expect(c.code, c.stderr).toBe(a.code);
    expect(JSON.parse(c.stdout).rules).toEqual(fromCsv.rules);
  });

  it('ttm train on the table writes the same weights as on the CSV; predict --all --to writes the same forecasts', () => {
    const a = runCli(['train', '--data', csv, '--output', model('csv'), '--results', join(dir, 'r-csv'), ...TRAIN]);
    expect(a.code, a.stderr).toBe(0);
    const b = runCli(['train', '--data', db.url(), '--table', 'sales', '--output', model('pg'), '--results', join(dir, 'r-pg'), ...TRAIN]);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(model('pg'), 'model.safetensors')).equals(readFileSync(join(model('csv'), 'model.safetensors')))).toBe(true);
    expect(readFileSync(join(model('pg'), 'training_args.json'), 'utf8')).not.toContain(db.password);

    const fromCsv = runCli(['predict', '--all', '--model', model('csv'), '--data', csv, '--format', 'csv', '--backend', 'wasm']);
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    const toPg = runCli(['predict', '--all', '--model', model('pg'), '--data', url(), '--table', 'sales', '--to', url(), '--backend', 'wasm']);
    expect(toPg.code, toPg.stderr).toBe(0);
    expect(toPg.stdout).toBe('');
    const version = /model_version (ttm-[0-9a-f]{16})/.exec(toPg.stderr)?.[1];
    expect(toPg.stderr).toContain(`wrote 192 rows to table forecasts on postgres://ttm@127.0.0.1:${db.port}/postgres (model_version ${version})`);
    return checkForecasts(fromCsv.stdout, version!);
  });

  async function checkForecasts(csvText: string, version: string): Promise<void> {
    const rows = await sql(url(), `SELECT to_char(week, 'YYYY-MM-DD') AS week, produto_cat, uf_cat, vendas, faturamento, vendas_lo_90, vendas_hi_90, faturamento_lo_90, faturamento_hi_90, model_version, step, run_at FROM forecasts ORDER BY produto_cat, uf_cat, week`);
    const round = (x: unknown) => (x === null ? '' : String(Number((x as number).toFixed(4))));
    const asCsv = rows.map((r) => [r.week, r.produto_cat, r.uf_cat, ...['vendas', 'faturamento', 'vendas_lo_90', 'vendas_hi_90', 'faturamento_lo_90', 'faturamento_hi_90'].map((k) => round(r[k]))].join(','));
    expect(asCsv).toEqual(csvText.trim().split('\n').slice(1));
    expect(new Set(rows.map((r) => r.model_version))).toEqual(new Set([version]));
    expect(rows.filter((r) => r.produto_cat === 0 && r.uf_cat === 0).map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  }

  it('a re-run upserts (no duplicate rows); a write killed mid-transaction leaves the previous forecasts', async () => {
    const before = await sql(url(), 'SELECT * FROM forecasts ORDER BY produto_cat, uf_cat, week');
    const again = runCli(['predict', '--all', '--model', model('pg'), '--data', url(), '--table', 'sales', '--to', url(), '--backend', 'wasm']);
    expect(again.code, again.stderr).toBe(0);
    const after = await sql(url(), 'SELECT * FROM forecasts ORDER BY produto_cat, uf_cat, week');
    expect(after).toHaveLength(before.length);
    expect(after.map(({ run_at: _r, ...rest }) => rest)).toEqual(before.map(({ run_at: _r, ...rest }) => rest));
    expect((after[0].run_at as Date).getTime()).toBeGreaterThan((before[0].run_at as Date).getTime());

    // Hold a lock on one row the run will upsert, wait until the run blocks on it inside its
    // transaction (its other rows already written), then kill the process.
    const blocker = new pg.Client({ connectionString: url() });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('UPDATE forecasts SET vendas = vendas WHERE produto_cat = 3 AND uf_cat = 5 AND step = 8');
    const child = spawn(process.execPath, [BIN, 'predict', '--all', '--model', model('pg'), '--data', url(), '--table', 'sales', '--to', url(), '--backend', 'wasm'], { cwd: REPO, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      let waiting = 0;
      for (let i = 0; i < 300 && waiting === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        // (a fresh connection: inside the blocker's transaction pg_stat_activity stays frozen)
        waiting = (await sql(url(), "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ttm' AND wait_event_type = 'Lock'"))[0].n as number;
      }
      expect(waiting).toBe(1);
      child.kill('SIGKILL');
      await exited;
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    for (let i = 0; i < 100; i++) {
      const [{ n }] = await sql(url(), "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ttm'");
      if (n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await sql(url(), 'SELECT * FROM forecasts ORDER BY produto_cat, uf_cat, week')).toEqual(after);
  });

  it('a model from the registry writes its registry version as model_version', async () => {
    const registry = join(dir, 'registry');
    const reg = runCli(['models', 'register', model('pg'), '--registry', registry, '--backend', 'wasm']);
    expect(reg.code, reg.stderr).toBe(0);
    const r = runCli(['predict', '--all', '--horizon', '2', '--model', join(registry, 'versions', 'v0001'), '--data', url(), '--table', 'sales', '--to', url(), '--to-table', 'registry_forecasts', '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    expect(await sql(url(), 'SELECT model_version, count(*)::int AS n FROM registry_forecasts GROUP BY 1')).toEqual([{ model_version: 'v0001', n: 48 }]);
  });

  it('the server looks series up in the table: the same answer as from the CSV', async () => {
    await useBackend('wasm');
    const key = generateApiKey();
    const auth = { api_keys: [{ id: 'erp', role: 'business_user' as const, sha256: hashApiKey(key) }] };
    const answer = async (data: Parameters<typeof buildApp>[0]['data']) => {
      const app = await buildApp({ source: singleModel(model('pg')), data, auth, audit: null, pollMs: 0 });
      try {
        const r = await app.inject({ method: 'POST', url: '/predict', headers: { authorization: `Bearer ${key}` }, payload: { produto_id: 2, regiao_id: 4, horizon: 3 } });
        expect(r.statusCode, r.body).toBe(200);
        return r.json();
      } finally {
        await app.close();
      }
    };
    const fromPg = await answer({ kind: 'postgres', url: url(), table: 'sales' });
    expect(fromPg.predictions.vendas).toHaveLength(3);
    expect(fromPg).toEqual(await answer(csv));
  });

  it('ttm evaluate --to writes the report figures once per model, data and origins', async () => {
    const run = () => runCli(['evaluate', '--model', model('pg'), '--data', url(), '--table', 'sales', '--origins', '2', '--no-save', '--to', url(), '--to-table', 'eval', '--json', '--backend', 'wasm']);
    const r = run();
    expect([0, 7], r.stderr).toContain(r.code);
    const report = JSON.parse(r.stdout);
    const rows = await sql(url(), "SELECT method, channel, metric, value, model_version, origins, to_char(data_through, 'YYYY-MM-DD') AS through FROM eval");
    const wape = rows.find((x) => x.method === 'ttm' && x.channel === 'vendas' && x.metric === 'wape');
    expect(wape?.value).toBeCloseTo(report.backtest.methods.ttm.vendas.wape, 12);
    expect(wape?.origins).toBe(2);
    expect(wape?.through).toBe('2024-07-08');
    expect(wape?.model_version).toMatch(/^ttm-[0-9a-f]{16}$/);
    expect(run().code).toBe(r.code);
    expect(await sql(url(), 'SELECT count(*)::int AS n FROM eval')).toEqual([{ n: rows.length }]);
  });

  it('a wrong password, an unknown table and a column of the wrong type: one-line errors and exit codes', async () => {
    const first = (stderr: string) => stderr.split('\n')[0];
    const wrong = runCli(['validate', '--data', db.url({ password: 'not-the-Secret' }), '--table', 'sales']);
    expect(wrong.code).toBe(9);
    expect(first(wrong.stderr)).toBe(`error: postgres://ttm@127.0.0.1:${db.port}/postgres: password authentication failed for user "ttm"`);
    expect(wrong.stderr).not.toMatch(/not-the-Secret|secret-Pa55/);
    const unknown = runCli(['validate', '--data', url(), '--table', 'vendas_2024']);
    expect(unknown.code).toBe(3);
    expect(first(unknown.stderr)).toBe(`error: postgres://ttm@127.0.0.1:${db.port}/postgres table vendas_2024: relation "vendas_2024" does not exist`);
    await loadTable(db.url(), 'typed', COLUMNS.map(([n, t]) => [n, n === 'date' ? 'integer' : t]), []);
    const typed = runCli(['validate', '--data', url(), '--table', 'typed']);
    expect(typed.code).toBe(3);
    expect(first(typed.stderr)).toBe(`error: postgres://ttm@127.0.0.1:${db.port}/postgres table typed: column "date" is integer, expected a date (date, timestamp or YYYY-MM-DD text)`);
    const refused = runCli(['predict', '--all', '--model', model('pg'), '--data', csv, '--to', `postgres://ttm:x@127.0.0.1:${db.port + 1}/postgres`, '--backend', 'wasm']);
    expect(refused.code).toBe(9);
    expect(first(refused.stderr)).toMatch(/^error: postgres:\/\/ttm@127\.0\.0\.1:\d+\/postgres: cannot connect \(ECONNREFUSED\)$/);
  });
});
