#!/usr/bin/env node
// Warehouse benchmark: the ~1-million-row synthetic table streamed from PostgreSQL through
// readObservations + validate (what `ttm validate --data postgres://… --table …` does), next to
// the same rows read from the CSV. Each read runs in a fresh child process, alternately
// (CSV, table, CSV, table, …), so both see the same machine; peak RSS is the child's own.
// Needs the build (dist/), PostgreSQL's server binaries and psql (to load the table). The child
// is data.mjs's own measurement, given the source as JSON.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresBin, startPostgres } from '../scripts/test-postgres.mjs';

const here = fileURLToPath(import.meta.url);
const measurer = fileURLToPath(new URL('./data.mjs', import.meta.url));
const dataUrl = new URL('../dist/data/index.js', import.meta.url).href;

const seconds = (r) => r.parseSeconds + r.validateSeconds;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const range = (xs) => `${Math.min(...xs)}–${Math.max(...xs)}`;

/**
 * Runs the benchmark: `rows` approximate (whole products x 6 UFs x 156 weeks), `repeats` pairs.
 * With `copies` > 1, also reads a table holding every row `copies` times (the same series and
 * weeks, `copies` x the rows): its peak RSS shows whether memory follows the row count.
 */
export async function runDataPgBench({ rows = 1_000_000, repeats = 3, copies = 1 } = {}) {
  if (!postgresBin()) return [{ name: 'data: PostgreSQL table (skipped: no PostgreSQL server binaries)', figures: {} }];
  const { writeSynth } = await import(dataUrl);
  const dir = mkdtempSync(join(tmpdir(), 'ttm-bench-pg-'));
  chmodSync(dir, 0o755);
  const db = await startPostgres();
  try {
    const file = join(dir, 'big.csv');
    await writeSynth(file, { products: Math.ceil(rows / (6 * 156)), seed: 1 });
    const url = db.url({ sslmode: 'disable' });
    const psql = (command) => {
      const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', command], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    };
    psql('CREATE TABLE sales (date date, produto_cat integer, uf_cat integer, vendas numeric, faturamento numeric)');
    const t0 = performance.now();
    psql(`\\copy sales FROM '${file}' WITH (FORMAT csv, HEADER)`);
    const loadSeconds = (performance.now() - t0) / 1000;
    psql('VACUUM ANALYZE sales');
    const sources = { csv: { kind: 'csv', file }, postgres: { kind: 'postgres', url, table: 'sales' } };
    const runs = { csv: [], postgres: [] };
    if (copies > 1) {
      psql(`CREATE TABLE sales_copies AS SELECT s.* FROM sales s, generate_series(1, ${copies})`);
      sources.copies = { kind: 'postgres', url, table: 'sales_copies' };
      runs.copies = [];
    }
    for (let i = 0; i < repeats; i++) {
      for (const kind of Object.keys(sources)) {
        const child = spawnSync(process.execPath, [measurer, '--measure', JSON.stringify(sources[kind])], { encoding: 'utf8' });
        if (child.status !== 0) throw new Error(`data-pg bench child failed: ${child.stderr}`);
        runs[kind].push(JSON.parse(child.stdout.trim().split('\n').pop()));
      }
    }
    return Object.entries(runs).map(([kind, rs]) => ({
      name: { csv: 'data: read + validate CSV (paired)', postgres: 'data: read + validate PostgreSQL table (cursor)', copies: `data: the table's rows x${copies} (same series and weeks)` }[kind],
      figures: {
        rows: rs[0].rows,
        series: rs[0].series,
        runs: rs.length,
        seconds: Number(median(rs.map(seconds)).toFixed(2)),
        secondsRange: range(rs.map((r) => Number(seconds(r).toFixed(2)))),
        rowsPerSecond: Math.round(rs[0].rows / median(rs.map(seconds))),
        peakRssMB: median(rs.map((r) => r.peakRssMB)),
        peakRssRange: range(rs.map((r) => r.peakRssMB)),
        startRssMB: median(rs.map((r) => r.startRssMB)),
        peakHeapMB: median(rs.map((r) => r.peakHeapMB)),
        ...(kind === 'postgres' ? { loadSeconds: Number(loadSeconds.toFixed(2)) } : {}),
      },
    }));
  } finally {
    db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === here) {
  // node bench/data-pg.mjs [rows] [copies]
  for (const r of await runDataPgBench({ rows: Number(process.argv[2] ?? 1_000_000), copies: Number(process.argv[3] ?? 1) })) {
    console.log(r.name);
    for (const [k, v] of Object.entries(r.figures)) console.log(`  ${k.padEnd(16)} ${v}`);
  }
}
