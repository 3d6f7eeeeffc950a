#!/usr/bin/env node
// Accuracy on the public dunnhumby task (not in CI): cut the last 26 weeks off every series,
// train with `ttm train`'s defaults (or the overrides given as JSON), forecast those 26 weeks,
// and score WAPE and MASE per channel next to the baselines in baselines.json.
//   npm run bench:accuracy                       defaults
//   npm run bench:accuracy -- '{"loss":"mse"}'   the design's recipe with MSE, for comparison
//   npm run bench:accuracy -- --covariates       the promo set (dunnhumby-weekly-promo) with
//                                                price, base_price, feature, display, tpr as
//                                                future-known covariates (read for the test
//                                                weeks through a --future file, targets dropped)
//   npm run bench:accuracy -- --calendar US      calendar channels (with or without --covariates)
//   With --covariates or --calendar the run has two stages, both scored and printed side by side:
//   1. the model without covariates (the same options), 2. granite-tsfm's exogenous fine-tuning
//   from it (backbone frozen, decoder + head + forecast channel mixer train), as `ttm train
//   --covariates` does. TTM_ACCURACY_STAGE1=DIR trains stage 2 only, from a stage-1 model
//   trained on the same training cut (the JSON options then apply to stage 2 alone).
//   TTM_ACCURACY_DATA=DIR (a folder with series.csv) or TTM_ACCURACY_CSV=FILE score another file
//   TTM_ACCURACY_REUSE=/tmp/ttm-acc-XXXX node bench/accuracy.mjs   score a model trained by an earlier run
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../dist/runtime/backend.js';
import { planWindows, trainModel, TRAIN_DEFAULTS } from '../dist/train/index.js';
import { attachFutureCovariates, loadWeekly, forecastRefs, splitByTime } from '../dist/data/index.js';
import { loadForecaster } from '../dist/predict/load-forecaster.js';
import { calibrateConformal, conformalInterval, forecastSeries } from '../dist/predict/index.js';
import { wape, mase, coverage, isPeakWeek } from '../dist/evaluate/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.indexOf(name);
const withCovariates = flag('--covariates') >= 0;
const calIdx = flag('--calendar');
const calendar = calIdx >= 0 ? (args[calIdx + 1] && !args[calIdx + 1].startsWith('-') && !args[calIdx + 1].startsWith('{') ? args[calIdx + 1] : 'BR') : null;
const json = args.find((a) => a.startsWith('{'));
const DUNNHUMBY = resolve(here, '../../shared/data/dunnhumby-weekly');
const DATA = process.env.TTM_ACCURACY_DATA ?? DUNNHUMBY;
const CSV = process.env.TTM_ACCURACY_CSV ?? (withCovariates ? resolve(here, '../../shared/data/dunnhumby-weekly-promo/series_promo.csv') : join(DATA, 'series.csv'));
const COVARIATES = withCovariates ? ['price', 'base_price', 'feature', 'display', 'tpr'] : [];
const overrides = { covariates: COVARIATES, calendar, ...JSON.parse(json ?? '{}') };
const H = 26;

const backend = await initBackend(process.env.TTM_BACKEND ?? 'auto');
const lines = readFileSync(CSV, 'utf8').trim().split('\n');
const header = lines[0];
const cols = header.split(',');
const dates = [...new Set(lines.slice(1).map((l) => l.split(',')[0]))].sort();
const cutoff = dates[dates.length - H]; // first test week
const reuse = process.env.TTM_ACCURACY_REUSE;
const work = reuse ?? mkdtempSync(join(tmpdir(), 'ttm-acc-'));
const trainCsv = join(work, 'train.csv');
const futureCsv = join(work, 'future.csv');
if (!reuse) {
  writeFileSync(trainCsv, [header, ...lines.slice(1).filter((l) => l.split(',')[0] < cutoff)].join('\n') + '\n');
  // The test weeks' covariates only: the target columns are not written at all.
  const keep = ['date', 'produto_cat', 'uf_cat', ...overrides.covariates].map((c) => cols.indexOf(c));
  const future = lines.slice(1).filter((l) => l.split(',')[0] >= cutoff).map((l) => keep.map((k) => l.split(',')[k]).join(','));
  writeFileSync(futureCsv, [keep.map((k) => cols[k]).join(','), ...future].join('\n') + '\n');
}
process.stderr.write(`work dir ${work}\n`);

const twoStage = overrides.covariates.length > 0 || overrides.calendar !== null;
const logEpoch = (e) => {
  if (e.type === 'stage') process.stderr.write(`stage ${e.stage} of ${e.of}: ${e.what}\n`);
  if (e.type === 'epoch') process.stderr.write(`epoch ${e.epoch} loss ${e.loss.toFixed(4)} val ${e.valLoss.toFixed(4)} ${e.windowsPerSecond.toFixed(0)} w/s\n`);
};

/** Trains with `options` into work/model (or takes the model there with TTM_ACCURACY_REUSE), then scores it on the held-out weeks. */
async function trainAndScore(options) {
  const t0 = Date.now();
  const opts = { ...TRAIN_DEFAULTS, data: trainCsv, output: join(work, 'model'), results: join(work, 'results'), ...options };
  const result = reuse
    ? { fit: { bestEpoch: NaN, history: [] }, metrics: JSON.parse(readFileSync(join(opts.output, 'metrics.json'), 'utf8')) }
    : await trainModel({ ...opts, onEvent: logEpoch });
  const trainSeconds = reuse ? NaN : (Date.now() - t0) / 1000;
  const scores = await score(opts);
  return { options, trainSeconds, bestEpoch: result.fit.bestEpoch, epochs: result.fit.history.length, scores, validation: result.metrics.validation };
}

async function score(opts) {
  const f = await loadForecaster(opts.output);
  const covariates = f.preprocessor.covariates?.columns ?? [];
  const history = await loadWeekly(trainCsv, { covariates });
  if (covariates.length > 0) await attachFutureCovariates(history, futureCsv);
  const full = await loadWeekly(CSV);
  const refs = forecastRefs(history);
  const fc = await forecastSeries(f, history, refs);
  // The validation windows training calibrated on (the last H weeks of the training file), to
  // compare the interval methods on one model: the per-step quantiles (before issue 13) and the
  // pooled scores with a fitted step profile (after). Exact when the run had no refit.
  const split = splitByTime(history, { validationWeeks: H, testWeeks: 0 });
  const L = f.model.config.context_length;
  const { validationRefs } = planWindows(history, split, { context: L, horizon: H, minContext: Math.min(opts.minContext, L), stride: opts.stride });
  const val = await forecastSeries(f, history, validationRefs);
  const byKey = new Map(full.series.map((s) => [`${s.produto}:${s.regiao}`, s]));
  const peak = Array.from({ length: H }, (_, h) => isPeakWeek(full.firstWeek + 7 * (full.weeks - H + h)));
  const quantiles = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { min: s[0], median: s[Math.floor((s.length - 1) / 2)] / 2 + s[Math.ceil((s.length - 1) / 2)] / 2, max: s[s.length - 1] };
  };
  const scores = {};
  for (const [c, name] of history.channels.entries()) {
    const windows = [], windowsModel = [], snaive = [];
    refs.forEach((r, i) => {
      const s = history.series[r.series];
      const fullS = byKey.get(`${s.produto}:${s.regiao}`);
      const actual = fullS.values[c].slice(fullS.length - H);
      const pick = (v) => Float64Array.from({ length: H }, (_, h) => v[h * history.channels.length + c]);
      windows.push({ history: s.values[c], actual, forecast: pick(fc.values[i]) });
      windowsModel.push({ history: s.values[c], actual, forecast: pick(fc.modelValues[i]) });
      snaive.push({ actual, forecast: Float64Array.from({ length: H }, (_, h) => s.values[c][s.length - 52 + h] ?? 0) });
    });
    const flat = (ws, k, only) => ws.flatMap((w) => Array.from(w[k]).filter((_, h) => !only || only(h)));
    // Coverage of the 90% interval on the held-out weeks, overall and per step, for the stored
    // calibration and for both methods recomputed on the validation windows.
    const C = history.channels.length;
    const calWindows = validationRefs.map((r, i) => {
      const s = history.series[r.series];
      const at = r.origin - s.start;
      return { history: s.values[c].subarray(0, at), actual: s.values[c].slice(at, at + H), forecast: Float64Array.from({ length: H }, (_, h) => val.values[i][h * C + c]) };
    });
    const intervalFigures = (cal) => {
      const lo = [], hi = [];
      const hitsByStep = new Array(H).fill(0);
      let width = 0;
      for (const w of windows) {
        const iv = conformalInterval(cal, w.forecast, w.history, 0.9);
        lo.push(...iv.lower);
        hi.push(...iv.upper);
        for (let h = 0; h < H; h++) {
          if (w.actual[h] >= iv.lower[h] && w.actual[h] <= iv.upper[h]) hitsByStep[h]++;
          width += iv.upper[h] - iv.lower[h];
        }
      }
      return { coverage: coverage(flat(windows, 'actual'), lo, hi), by_step: quantiles(hitsByStep.map((k) => k / windows.length)), mean_width: width / (windows.length * H) };
    };
    const stored = intervalFigures(f.meta.calibration[c]);
    const isPeak = (h) => peak[h];
    scores[name] = {
      coverage90: stored.coverage,
      coverage90_by_step: stored.by_step,
      interval_per_step_method: intervalFigures(calibrateConformal(calWindows, 52, 'per-step')),
      interval_pooled_method: intervalFigures(calibrateConformal(calWindows, 52, 'pooled')),
      wape: wape(flat(windows, 'actual'), flat(windows, 'forecast')),
      mase: mase(windows),
      wape_model_only: wape(flat(windowsModel, 'actual'), flat(windowsModel, 'forecast')),
      peak_weeks: peak.filter(Boolean).length,
      wape_peak: wape(flat(windows, 'actual', isPeak), flat(windows, 'forecast', isPeak)),
      wape_peak_snaive52: wape(flat(snaive, 'actual', isPeak), flat(snaive, 'forecast', isPeak)),
      model_weight: f.meta.blend.modelWeight[c],
    };
  }
  f.model.dispose();
  return scores;
}

const runs = [];
if (twoStage) {
  // `ttm train --covariates` trains in two stages itself (src/train/covariate-stages.ts): stage 1's
  // model (targets alone) is scored too, the no-covariate figure of the same run.
  const stage1Reused = process.env.TTM_ACCURACY_STAGE1;
  const stage2 = await trainAndScore({ ...overrides, ...(stage1Reused ? { pretrained: stage1Reused } : {}) });
  const stage1Dir = stage1Reused ?? join(work, 'results', 'stage1', 'model');
  const stage1 = { options: { ...overrides, covariates: [], calendar: null, refit: false }, trainSeconds: NaN, bestEpoch: NaN, epochs: NaN, scores: await score({ ...TRAIN_DEFAULTS, ...overrides, output: stage1Dir }) };
  runs.push({ label: 'ttm without covariates (stage 1)', ...stage1 }, { label: 'ttm with covariates (stage 2)', ...stage2 });
} else {
  runs.push({ label: 'ttm (this run)', ...(await trainAndScore(overrides)) });
}
const baselinesFile = existsSync(join(DATA, 'baselines.json')) ? join(DATA, 'baselines.json') : join(DUNNHUMBY, 'baselines.json');
const baselines = CSV.includes('dunnhumby') ? JSON.parse(readFileSync(baselinesFile, 'utf8')).methods : {};
const rows = runs.flatMap((r) => [
  [r.label, r.scores.vendas.wape, r.scores.faturamento.wape, r.scores.vendas.mase, r.scores.faturamento.mase],
  [`  model only (no blend)`, r.scores.vendas.wape_model_only, r.scores.faturamento.wape_model_only, NaN, NaN],
]);
if (CSV.includes('dunnhumby')) {
  rows.push(['ttm defaults, no covariates (run K)', 0.4400, 0.4257, NaN, NaN]);
  rows.push(['median of last 13 weeks (reference)', 0.445, 0.434, NaN, NaN]);
  if (CSV.includes('promo')) rows.push(['promo GBDT (reference)', 0.354, 0.364, NaN, NaN]);
}
for (const [m, v] of Object.entries(baselines)) rows.push([m, v.vendas.WAPE, v.faturamento.WAPE, v.vendas.MASE, v.faturamento.MASE]);
const pct = (x) => `${(100 * x).toFixed(1)}%`;
for (const r of runs) {
  for (const [name, s] of Object.entries(r.scores)) {
    const line = (label, x) => `${label} ${pct(x.coverage)}, per step min/median/max ${pct(x.by_step.min)} / ${pct(x.by_step.median)} / ${pct(x.by_step.max)}, mean width ${x.mean_width.toFixed(1)}`;
    console.log(`${r.label}, ${name}: stored 90% coverage ${pct(s.coverage90)}; ${line('per-step method', s.interval_per_step_method)}; ${line('pooled method', s.interval_pooled_method)}`);
    console.log(`${r.label}, ${name}: peak weeks (${s.peak_weeks}) WAPE ttm ${s.wape_peak.toFixed(4)} vs snaive52 ${s.wape_peak_snaive52.toFixed(4)}; blend model weight ${s.model_weight}`);
  }
  console.log(`${r.label}: options ${JSON.stringify(r.options)}; train ${r.trainSeconds.toFixed(0)} s, best epoch ${r.bestEpoch} of ${r.epochs}`);
}
console.log(`data ${CSV}; backend ${backend.name}`);
console.log('method'.padEnd(38), 'WAPE vendas', 'WAPE fat.', 'MASE vendas', 'MASE fat.');
for (const r of rows) console.log(String(r[0]).padEnd(38), ...r.slice(1).map((x) => (Number.isFinite(x) ? x.toFixed(4) : '-').padStart(11)));
console.log(JSON.stringify({ data: CSV, backend: backend.name, runs }));
