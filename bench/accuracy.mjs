#!/usr/bin/env node
// Accuracy on the public dunnhumby task (not in CI): cut the last 26 weeks off every series,
// train with `ttm train`'s defaults (or the overrides given as JSON), forecast those 26 weeks,
// and score WAPE and MASE per channel next to the baselines in baselines.json.
//   npm run bench:accuracy                       defaults
//   npm run bench:accuracy -- '{"loss":"mse"}'   the design's recipe with MSE, for comparison
//   TTM_ACCURACY_REUSE=/tmp/ttm-acc-XXXX node bench/accuracy.mjs   score a model trained by an earlier run
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../dist/runtime/backend.js';
import { trainModel, TRAIN_DEFAULTS } from '../dist/train/index.js';
import { loadWeekly, forecastRefs } from '../dist/data/index.js';
import { loadForecaster } from '../dist/predict/load-forecaster.js';
import { conformalInterval, forecastSeries } from '../dist/predict/index.js';
import { wape, mase, coverage } from '../dist/evaluate/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = process.env.TTM_ACCURACY_DATA ?? resolve(here, '../../shared/data/dunnhumby-weekly');
const overrides = JSON.parse(process.argv[2] ?? '{}');
const H = 26;

const backend = await initBackend(process.env.TTM_BACKEND ?? 'auto');
const lines = readFileSync(join(DATA, 'series.csv'), 'utf8').trim().split('\n');
const header = lines[0];
const dates = [...new Set(lines.slice(1).map((l) => l.split(',')[0]))].sort();
const cutoff = dates[dates.length - H]; // first test week
const reuse = process.env.TTM_ACCURACY_REUSE;
const work = reuse ?? mkdtempSync(join(tmpdir(), 'ttm-acc-'));
const trainCsv = join(work, 'train.csv');
if (!reuse) writeFileSync(trainCsv, [header, ...lines.slice(1).filter((l) => l.split(',')[0] < cutoff)].join('\n') + '\n');

const t0 = Date.now();
const opts = { ...TRAIN_DEFAULTS, data: trainCsv, output: join(work, 'model'), results: join(work, 'results'), ...overrides };
const result = reuse
  ? { fit: { bestEpoch: NaN, history: [] }, metrics: JSON.parse(readFileSync(join(opts.output, 'metrics.json'), 'utf8')) }
  : await trainModel({ ...opts, onEvent: (e) => { if (e.type === 'epoch') process.stderr.write(`epoch ${e.epoch} loss ${e.loss.toFixed(4)} val ${e.valLoss.toFixed(4)} ${e.windowsPerSecond.toFixed(0)} w/s\n`); } });
const trainSeconds = reuse ? NaN : (Date.now() - t0) / 1000;

const history = await loadWeekly(trainCsv);
const full = await loadWeekly(join(DATA, 'series.csv'));
const f = await loadForecaster(opts.output);
const refs = forecastRefs(history);
const fc = await forecastSeries(f, history, refs);
const byKey = new Map(full.series.map((s) => [`${s.produto}:${s.regiao}`, s]));
const scores = {};
for (const [c, name] of history.channels.entries()) {
  const windows = [], windowsModel = [];
  refs.forEach((r, i) => {
    const s = history.series[r.series];
    const fullS = byKey.get(`${s.produto}:${s.regiao}`);
    const actual = fullS.values[c].slice(fullS.length - H);
    const pick = (v) => Float64Array.from({ length: H }, (_, h) => v[h * history.channels.length + c]);
    windows.push({ history: s.values[c], actual, forecast: pick(fc.values[i]) });
    windowsModel.push({ history: s.values[c], actual, forecast: pick(fc.modelValues[i]) });
  });
  const flat = (ws, k) => ws.flatMap((w) => Array.from(w[k]));
  // Coverage of the stored 90% conformal interval on the held-out weeks.
  const cal = f.meta.calibration[c]; // parsed with forecaster.json
  const lo = [], hi = [];
  for (const w of windows) {
    const iv = conformalInterval(cal, w.forecast, w.history, 0.9);
    lo.push(...iv.lower);
    hi.push(...iv.upper);
  }
  scores[name] = {
    coverage90: coverage(flat(windows, 'actual'), lo, hi),
    wape: wape(flat(windows, 'actual'), flat(windows, 'forecast')),
    mase: mase(windows),
    wape_model_only: wape(flat(windowsModel, 'actual'), flat(windowsModel, 'forecast')),
    model_weight: f.meta.blend.modelWeight[c],
  };
}
f.model.dispose();
const baselines = JSON.parse(readFileSync(join(DATA, 'baselines.json'), 'utf8')).methods;
const rows = [['ttm (this run)', scores.vendas.wape, scores.faturamento.wape, scores.vendas.mase, scores.faturamento.mase],
  ['ttm model only (no blend)', scores.vendas.wape_model_only, scores.faturamento.wape_model_only, NaN, NaN],
  ['median of last 13 weeks (reference)', 0.445, 0.434, NaN, NaN]];
for (const [m, v] of Object.entries(baselines)) rows.push([m, v.vendas.WAPE, v.faturamento.WAPE, v.vendas.MASE, v.faturamento.MASE]);
console.log(`90% interval coverage on the test weeks: vendas ${(100 * scores.vendas.coverage90).toFixed(1)}%, faturamento ${(100 * scores.faturamento.coverage90).toFixed(1)}%`);
console.log(`backend ${backend.name}; options ${JSON.stringify(overrides)}; train ${trainSeconds.toFixed(0)} s, best epoch ${result.fit.bestEpoch} of ${result.fit.history.length}`);
console.log('method'.padEnd(38), 'WAPE vendas', 'WAPE fat.', 'MASE vendas', 'MASE fat.');
for (const r of rows) console.log(String(r[0]).padEnd(38), ...r.slice(1).map((x) => (Number.isFinite(x) ? x.toFixed(4) : '-').padStart(11)));
console.log(JSON.stringify({ overrides, backend: backend.name, trainSeconds, bestEpoch: result.fit.bestEpoch, epochs: result.fit.history.length, scores, validation: result.metrics.validation }));
