#!/usr/bin/env node
// `npm run bench`: runs every bench module present (model, data, ...), prints one table on
// stdout, then one JSON document. A module exports a `run...Bench()` returning rows
// `{ name, figures: { key: value } }`. Needs the build (dist/), which `npm ci` makes.
// `node --expose-gc bench/run.mjs model` runs only the named modules.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Bench modules in run order: file next to this one, and the function it exports. */
const MODULES = [
  { id: 'model', file: './model.mjs', fn: 'runModelBench' },
  { id: 'data', file: './data.mjs', fn: 'runDataBench' },
  { id: 'data-pg', file: './data-pg.mjs', fn: 'runDataPgBench' },
  { id: 'predict', file: './predict.mjs', fn: 'runPredictBench' },
];

const format = (v) => (typeof v === 'number' ? String(v) : v === undefined ? '' : String(v));

/** One table: the row name, then its figures as `key value` pairs (ms, pytorchMs and ratio first). */
function printTable(rows) {
  const width = Math.max(...rows.map((r) => r.name.length), 10);
  console.log(`${'bench'.padEnd(width)}  ${'ms'.padStart(9)}  ${'PyTorch'.padStart(8)}  ${'ratio'.padStart(6)}  other`);
  for (const r of rows) {
    const { ms, pytorchMs, ratio, ...rest } = r.figures;
    const other = Object.entries(rest)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} ${format(v)}`)
      .join(', ');
    console.log(`${r.name.padEnd(width)}  ${format(ms).padStart(9)}  ${format(pytorchMs).padStart(8)}  ${format(ratio).padStart(6)}  ${other}`);
  }
}

const only = process.argv.slice(2);
const results = [];
const errors = [];
for (const m of MODULES) {
  if (only.length > 0 && !only.includes(m.id)) continue;
  if (!existsSync(new URL(m.file, import.meta.url))) continue;
  process.stderr.write(`bench: ${m.id}...\n`);
  try {
    const mod = await import(m.file);
    results.push(...(await mod[m.fn]()));
  } catch (err) {
    errors.push({ module: m.id, error: err instanceof Error ? err.message : String(err) });
    process.stderr.write(`bench: ${m.id} failed: ${err instanceof Error ? err.stack : err}\n`);
  }
}

printTable(results);
const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, loadavg: loadavg().map((l) => Number(l.toFixed(2))) };
console.log(JSON.stringify({ machine, date: new Date().toISOString(), rows: results, errors }, null, 2));
if (errors.length > 0) process.exitCode = 1;
