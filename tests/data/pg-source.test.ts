import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg, dataSource, loadWeekly, readObservations, synthesize, upsertRows, type DataSource } from '../../src/data/index.js';
import { DatabaseError, DataError } from '../../src/errors.js';
import { csvRows, loadTable, postgresBin, sql, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const COLUMNS: [string, string][] = [['date', 'date'], ['produto_cat', 'integer'], ['uf_cat', 'integer'], ['vendas', 'double precision'], ['faturamento', 'numeric']];
let db: TestPostgres;
let dir: string;
const synth = synthesize({ products: 3, regions: 2, weeks: 30, seed: 5 });
const table = (name: string, extra: Partial<DataSource & { kind: 'postgres' }> = {}): DataSource => ({ kind: 'postgres', url: db.url({ sslmode: 'disable' }), table: name, ...extra });
const error = (p: Promise<unknown>) => p.then(() => expect.unreachable('no error'), (e: Error) => e);

describe.skipIf(!postgresBin())('PostgreSQL source (a real server)', () => {
  beforeAll(async () => {
    db = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'ttm-pg-src-'));
    writeFileSync(join(dir, 'sales.csv'), synth.csv);
    await loadTable(db.url(), 'sales', COLUMNS, csvRows(synth.csv));
    // The same rows shuffled, text-typed and under other names, for --query.
    const shuffled = csvRows(synth.csv).reverse().map(([d, p, u, v, f]) => [`${d} 00:00:00`, p, u, v, f, 'x']);
    await loadTable(db.url(), 'raw.vendas', [['dia', 'timestamp'], ['produto', 'text'], ['uf', 'text'], ['unidades', 'text'], ['receita', 'text'], ['obs', 'text']], shuffled).catch(async () => {
      await sql(db.url(), 'CREATE SCHEMA raw');
      await loadTable(db.url(), 'raw.vendas', [['dia', 'timestamp'], ['produto', 'text'], ['uf', 'text'], ['unidades', 'text'], ['receita', 'text'], ['obs', 'text']], shuffled);
    });
  }, 60_000);
  afterAll(() => {
    db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a table gives the same weekly dataset as the CSV it was loaded from', async () => {
    const fromCsv = await loadWeekly(join(dir, 'sales.csv'));
    const fromPg = await readObservations(table('sales'));
    expect(fromPg.file).toBe(`postgres://ttm@127.0.0.1:${db.port}/postgres table sales`);
    expect({ ...fromPg, file: '' }).toEqual({ ...fromCsv, file: '' });
  });

  it('a query with aliases, text columns and a timestamp gives the same dataset too', async () => {
    const query = 'SELECT dia AS date, produto AS produto_cat, uf AS uf_cat, unidades AS vendas, receita AS faturamento, obs FROM raw.vendas';
    const fromPg = await readObservations(table('x', { table: undefined, query }));
    expect(fromPg.file).toMatch(/ query$/);
    expect(fromPg.series).toEqual((await loadWeekly(join(dir, 'sales.csv'))).series);
  });

  it('--table and --query alone connect through the PG* variables and the password file', async () => {
    const passfile = join(dir, 'pgpass');
    writeFileSync(passfile, `127.0.0.1:${db.port}:*:${db.user}:${db.password}\n`);
    chmodSync(passfile, 0o600);
    const saved = { ...process.env };
    Object.assign(process.env, { PGHOST: '127.0.0.1', PGPORT: String(db.port), PGUSER: db.user, PGDATABASE: db.database, PGSSLMODE: 'require', PGPASSFILE: passfile });
    delete process.env.PGPASSWORD;
    try {
      const src = dataSource({ data: 'dados/db_tratado-w.csv', table: 'sales', dataIsDefault: true });
      expect(src).toEqual({ kind: 'postgres', url: 'postgres://', table: 'sales', query: undefined });
      expect((await readObservations(src)).rows).toBe(synth.rows);
      chmodSync(passfile, 0o644); // libpq ignores a password file others can read
      expect((await error(readObservations(src))).message).toContain('the server asks for a password and none was given');
    } finally {
      process.env = saved;
    }
    expect(() => dataSource({ data: 'sales.csv', table: 'sales' })).toThrow('--table and --query read from PostgreSQL; --data sales.csv is a file');
    expect(() => dataSource({ data: db.url() })).toThrow(`--data postgres://ttm:***@127.0.0.1:${db.port}/postgres: also pass --table NAME or --query`);
  });

  it('bad values name the row by its key, not a line number', async () => {
    const rows = csvRows(synth.csv).slice(0, 40);
    const bad = async (col: number, value: string | null, types = COLUMNS.map(([n]) => [n, 'text'] as [string, string])) => {
      const copy = rows.map((r) => [...r]);
      copy[17][col] = value as string;
      await loadTable(db.url(), 'bad', types, copy);
      return error(readObservations(table('bad')));
    };
    const [d, p, u] = rows[17];
    const vendas = await bad(3, 'abc');
    expect(vendas).toBeInstanceOf(DataError);
    expect(vendas.message).toBe(`postgres://ttm@127.0.0.1:${db.port}/postgres table bad: row produto_cat=${p}, uf_cat=${u}, date=${d}: column "vendas": "abc" is not a number`);
    expect((await bad(0, '2024-02-30')).message).toContain(`row produto_cat=${p}, uf_cat=${u}, date=2024-02-30: column "date": "2024-02-30" is not a date (expected YYYY-MM-DD)`);
    expect((await bad(1, '1.5')).message).toContain(`row produto_cat=1.5, uf_cat=${u}, date=${d}: column "produto_cat": "1.5" is not an integer code`);
    expect((await bad(4, null)).message).toContain(`date=${d}: column "faturamento" is NULL`);
  });

  it('a missing column, a column of the wrong type and an unknown table are DataErrors', async () => {
    await loadTable(db.url(), 'nouf', COLUMNS.filter(([n]) => n !== 'uf_cat'), []);
    const missing = await error(readObservations(table('nouf')));
    expect(missing).toBeInstanceOf(DataError);
    expect(missing.message).toMatch(/table nouf: column "uf_cat" not found \(has: date, produto_cat, vendas, faturamento\)$/);
    await loadTable(db.url(), 'booly', COLUMNS.map(([n, t]) => [n, n === 'vendas' ? 'boolean' : t]), []);
    const typed = await error(readObservations(table('booly')));
    expect(typed).toBeInstanceOf(DataError);
    expect(typed.message).toMatch(/table booly: column "vendas" is boolean, expected a number/);
    const unknown = await error(readObservations(table('nope')));
    expect(unknown).toBeInstanceOf(DataError);
    expect(unknown.message).toMatch(/table nope: relation "nope" does not exist$/);
    const empty = await error(readObservations(table('nouf', { table: undefined, query: 'SELECT * FROM sales WHERE false' })));
    expect(empty.message).toMatch(/ query: no rows$/);
  });

  it('a wrong password is a DatabaseError that never shows the password', async () => {
    const e = await error(readObservations({ kind: 'postgres', url: db.url({ password: 'wrong-Secret' }), table: 'sales' }));
    expect(e).toBeInstanceOf(DatabaseError);
    expect(e.message).toBe(`postgres://ttm@127.0.0.1:${db.port}/postgres: password authentication failed for user "ttm"`);
    expect(JSON.stringify({ m: e.message, h: (e as DatabaseError).hint })).not.toMatch(/wrong-Secret|secret-Pa55/);
  });

  it('honours sslmode: disable is plain, require encrypts, verify-full checks the certificate', async () => {
    const tls = async (url: string) => {
      const { client } = await connectPg({ url });
      try {
        return (await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0].ssl;
      } finally {
        await client.end();
      }
    };
    expect(await tls(db.url({ sslmode: 'disable' }))).toBe(false);
    expect(await tls(db.url({ sslmode: 'require' }))).toBe(true);
    expect(await tls(db.url())).toBe(true); // libpq's default, prefer
    expect(await tls(`${db.url({ sslmode: 'verify-full' })}&sslrootcert=${db.caFile}`)).toBe(true);
    const unverified = await error(tls(db.url({ sslmode: 'verify-full' })));
    expect(unverified).toBeInstanceOf(DatabaseError);
    expect(unverified.message).toMatch(/TLS: .*self.signed.* \(sslmode verify-full\)/);
    const plain = await startPostgres({ ssl: false });
    try {
      expect(await tls(plain.url())).toBe(false); // prefer falls back, as libpq does
      const refused = await error(tls(plain.url({ sslmode: 'require' })));
      expect(refused).toBeInstanceOf(DatabaseError);
      expect(refused.message).toBe(`postgres://ttm@127.0.0.1:${plain.port}/postgres: the server does not accept TLS, and sslmode is require`);
    } finally {
      plain.stop();
    }
  });

  it('upserts in one transaction: a re-run replaces rows, a failure leaves the table as it was', async () => {
    const conn = { url: db.url({ sslmode: 'disable' }) };
    const spec = { name: 'out_t', columns: [{ name: 'k', type: 'integer' as const }, { name: 'v', type: 'double precision' as const }], key: ['k'] };
    await upsertRows(conn, spec, [[1, 1.5], [2, 2.5]]);
    await upsertRows(conn, spec, [[2, 20], [3, 30]]);
    expect(await sql(db.url(), 'SELECT k, v FROM out_t ORDER BY k')).toEqual([{ k: 1, v: 1.5 }, { k: 2, v: 20 }, { k: 3, v: 30 }]);
    await sql(db.url(), `CREATE FUNCTION no_k9() RETURNS trigger AS $$ BEGIN IF NEW.k = 9 THEN RAISE EXCEPTION 'k 9 refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await sql(db.url(), 'CREATE TRIGGER no_k9 BEFORE INSERT OR UPDATE ON out_t FOR EACH ROW EXECUTE FUNCTION no_k9()');
    const e = await error(upsertRows(conn, { ...spec, columns: [...spec.columns, { name: 'extra', type: 'text' }] }, [[1, 100, 'a'], [9, 9, 'b']], { batch: 1 }));
    expect(e).toBeInstanceOf(DatabaseError);
    expect(e.message).toMatch(/write out_t failed, nothing written: k 9 refused \(SQLSTATE P0001\)$/);
    expect(await sql(db.url(), 'SELECT * FROM out_t ORDER BY k')).toEqual([{ k: 1, v: 1.5 }, { k: 2, v: 20 }, { k: 3, v: 30 }]);
  });
});
