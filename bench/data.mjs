#!/usr/bin/env node
// Data-layer benchmark: parse + validate a generated 1-million-row CSV (rows/s, peak memory),
// and the time of the default `ttm synth`. Needs the build (dist/). The bench runner calls
// runDataBench(); run directly, it prints a table. The measurement runs in a child process so
// its peak RSS is the parse's own, not the generator's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const dataUrl = new URL('../dist/data/index.js', import.meta.url).href;

/** Child side: load + validate `file` (a CSV path, or a DataSource as JSON), print figures as JSON. */
async function measure(file) {
  const { readObservations, validate } = await import(dataUrl);
  const rssBefore = process.memoryUsage().rss;
  let peakHeap = 0;
  const timer = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
  const t0 = performance.now();
  const ds = await readObservations(file.startsWith('{') ? JSON.parse(file) : file);
  const t1 = performance.now();
  const report = validate(ds, { asOf: ds.firstWeek + 7 * ds.weeks });
  const t2 = performance.now();
  clearInterval(timer);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const figures = {
    rows: ds.rows,
    series: ds.series.length,
    parseSeconds: (t1 - t0) / 1000,
    validateSeconds: (t2 - t1) / 1000,
    rowsPerSecond: Math.round(ds.rows / ((t2 - t0) / 1000)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    startRssMB: Math.round(rssBefore / 2 ** 20),
    peakHeapMB: Math.round(peakHeap / 2 ** 20),
    passed: report.passed,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Runs the benchmark; `rows` is approximate (whole products x 6 UFs x 156 weeks). */
export async function runDataBench({ rows = 1_000_000 } = {}) {
  const { synthesize, writeSynth } = await import(dataUrl);
  const dir = mkdtempSync(join(tmpdir(), 'ttm-bench-data-'));
  try {
    const t0 = performance.now();
    synthesize();
    const synthSeconds = (performance.now() - t0) / 1000;

    const file = join(dir, 'big.csv');
    const products = Math.ceil(rows / (6 * 156));
    await writeSynth(file, { products, seed: 1 });
    const child = spawnSync(process.execPath, [here, '--measure', file], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`data bench child failed: ${child.stderr}`);
    const f = JSON.parse(child.stdout.trim().split('\n').pop());
    return [
      {
        name: 'data: parse + validate CSV',
        figures: {
          rows: f.rows,
          fileMB: Math.round(statSync(file).size / 2 ** 20),
          seconds: Number((f.parseSeconds + f.validateSeconds).toFixed(2)),
          parseSeconds: Number(f.parseSeconds.toFixed(2)),
          validateSeconds: Number(f.validateSeconds.toFixed(2)),
          rowsPerSecond: f.rowsPerSecond,
          peakRssMB: f.peakRssMB,
          startRssMB: f.startRssMB,
          peakHeapMB: f.peakHeapMB,
        },
      },
      { name: 'data: ttm synth default (150 x 6 x 156)', figures: { rows: 150 * 6 * 156, seconds: Number(synthSeconds.toFixed(2)) } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === here) {
  if (process.argv[2] === '--measure') {
    await measure(process.argv[3]);
  } else {
    const rows = Number(process.argv[2] ?? 1_000_000);
    for (const r of await runDataBench({ rows })) {
      console.log(r.name);
      for (const [k, v] of Object.entries(r.figures)) console.log(`  ${k.padEnd(16)} ${v}`);
    }
  }
}
