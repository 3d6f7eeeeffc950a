#!/usr/bin/env node
// `ttm predict --all` on the design's default data (150 produtos x 6 UFs = 900 series x 156
// weeks): time inside the model and total time, in-process (load model + data, forecast,
// intervals, CSV) and as the real CLI process (`node bin/ttm.js predict --all --out F`, from
// process start to exit, backend start included). The model is the design's configuration
// trained for one short epoch: forecasting time does not depend on the weights.
// Needs the build (dist/). `node bench/predict.mjs` runs it alone; `npm run bench` via runPredictBench().
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const BIN = fileURLToPath(new URL('../bin/ttm.js', import.meta.url));

/** Child side: forecast every series of `data` with `model`, print figures as JSON. */
async function measure(model, data, out) {
  const t0 = performance.now();
  const { initBackend } = await import(dist('runtime/backend.js'));
  const backend = await initBackend(process.env.TTM_BACKEND ?? 'auto');
  const { loadWeekly } = await import(dist('data/index.js'));
  const { loadForecaster } = await import(dist('predict/load-forecaster.js'));
  const { predictSeries, predictionsCsv } = await import(dist('predict/index.js'));
  const t1 = performance.now();
  const forecaster = await loadForecaster(model);
  const ds = await loadWeekly(data);
  const t2 = performance.now();
  const r = await predictSeries(forecaster, ds, ds.series.map((_, i) => i), { levels: [0.9] });
  writeFileSync(out, predictionsCsv(r));
  const t3 = performance.now();
  forecaster.model.dispose();
  const figures = {
    backend: backend.name,
    series: r.predictions.length,
    loadMs: Math.round(t2 - t1),
    forecastMs: Math.round(t3 - t2),
    modelMs: Math.round(1000 * r.modelSeconds),
    totalMs: Math.round(t3 - t1),
    startupMs: Math.round(t1 - t0),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

export async function runPredictBench() {
  const { writeSynth } = await import(dist('data/index.js'));
  const { trainModel, TRAIN_DEFAULTS } = await import(dist('train/index.js'));
  const { initBackend } = await import(dist('runtime/backend.js'));
  const dir = mkdtempSync(join(tmpdir(), 'ttm-bench-predict-'));
  try {
    const data = join(dir, 'data.csv');
    await writeSynth(data, { seed: 1 });
    await initBackend(process.env.TTM_BACKEND ?? 'auto');
    const model = join(dir, 'model');
    await trainModel({ ...TRAIN_DEFAULTS, data, output: model, results: join(dir, 'results'), epochs: 1, stride: 52, checkpointEverySteps: 0 });

    const child = spawnSync(process.execPath, [here, '--measure', model, data, join(dir, 'lib.csv')], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`predict bench child failed: ${child.stderr}`);
    const f = JSON.parse(child.stdout.trim().split('\n').pop());
    const t0 = performance.now();
    const cli = spawnSync(process.execPath, [BIN, 'predict', '--all', '--model', model, '--data', data, '--out', join(dir, 'cli.csv')], { encoding: 'utf8' });
    const cliMs = Math.round(performance.now() - t0);
    if (cli.status !== 0) throw new Error(`ttm predict --all failed: ${cli.stderr}`);
    const cliModel = /\(model ([\d.]+) s\)/.exec(cli.stderr);
    return [
      { name: `predict: --all ${f.series} series x 26 weeks (in-process)`, figures: { ms: f.totalMs, modelMs: f.modelMs, loadMs: f.loadMs, forecastMs: f.forecastMs, backend: f.backend } },
      { name: `predict: ttm predict --all (CLI process)`, figures: { ms: cliMs, modelMs: cliModel ? Math.round(1000 * Number(cliModel[1])) : undefined } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === here) {
  if (process.argv[2] === '--measure') {
    await measure(process.argv[3], process.argv[4], process.argv[5]);
  } else {
    for (const r of await runPredictBench()) {
      console.log(r.name);
      for (const [k, v] of Object.entries(r.figures)) console.log(`  ${k.padEnd(12)} ${v}`);
    }
  }
}
