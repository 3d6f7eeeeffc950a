#!/usr/bin/env node
// The overview band on a real model (docs/dashboard.md): how long its backtest takes, and whether
// the actual totals of weeks the model never saw fall inside it.
//
//   npm run build && node bench/band.mjs DATA.csv MODEL_DIR [runs]
//
// MODEL_DIR should be trained with `--holdout H` (H = its horizon): the band is then computed on
// the data cut before the held-out weeks (its backtest origins all lie in the training weeks, as
// on a served model), the overview's forecast is made at the cut, and each total (all series, each
// UF, both channels; and each weekly total) is checked against the held-out actuals. One
// out-of-sample origin: a count to read, not a coverage estimate with a small error.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cutDataset, loadWeekly } from '../dist/data/index.js';
import { initBackend } from '../dist/runtime/backend.js';
import { ForecastPool, loadForecaster, predictSeries, levelName } from '../dist/predict/index.js';
import { currentForecasts } from '../dist/serve/dashboard/overview.js';
import { computeTotalBand } from '../dist/serve/dashboard/total-band-job.js';
import { ALL_SERIES, bandAround, groupOriginTotals, relativeError, ufGroup } from '../dist/serve/dashboard/total-band.js';
import { backtestWindows } from '../dist/evaluate/backtest.js';
import { finiteSampleQuantile, forecastSeries, MIN_HISTORY_WEEKS } from '../dist/predict/index.js';

const [data, modelDir, runsArg] = process.argv.slice(2);
if (!data || !modelDir) {
  console.error('usage: node bench/band.mjs DATA.csv MODEL_DIR [runs]');
  process.exit(2);
}
const LEVEL = 0.9;
await initBackend('wasm');
const ds = await loadWeekly(data);
const f = await loadForecaster(modelDir);
const H = f.meta.horizon;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function band(d, series) {
  const pool = await ForecastPool.start(f.model, 1, { background: true });
  try {
    return await computeTotalBand(f, d, series, LEVEL, pool);
  } finally {
    await pool.close();
  }
}

// 1. time of the band on the whole data, as the server computes it (one background worker)
const full = await predictSeries(f, ds, ds.series.map((_, i) => i), { levels: [LEVEL] });
const seriesFull = currentForecasts(ds, full).map((c) => c.series);
// the event loop's longest stall during the job: what a request arriving meanwhile waits at most
const seconds = [];
const stalls = [];
let windows = 0;
for (let k = 0; k < Number(runsArg ?? 3); k++) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  const b = await band(ds, seriesFull);
  seconds.push((performance.now() - t0) / 1000);
  h.disable();
  stalls.push(h.count ? h.max / 1e6 : Infinity);
  windows = b.windows ?? 0;
}
console.log(`band of ${seriesFull.length} series, ${ds.weeks} weeks: ${windows} windows, seconds ${seconds.map((s) => s.toFixed(1)).join(', ')} (median ${median(seconds).toFixed(1)}); longest event-loop stall ms ${stalls.map((s) => s.toFixed(0)).join(', ')}`);
{
  // for comparison: the same job on the event loop's own thread (no worker)
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  await computeTotalBand(f, ds, seriesFull, LEVEL);
  clearInterval(timer);
  h.disable();
  const s = (performance.now() - t0) / 1000;
  // no sample at all: the loop never got to a timer during the whole job
  console.log(`same on the main thread (no worker): ${s.toFixed(1)} s, longest event-loop stall ${h.count ? `${(h.max / 1e6).toFixed(0)} ms` : `the whole job (no timer ran)`}; a 10 ms timer ran ${ticks} times (${Math.round(s * 100)} if never delayed)`);
}

// 2. held-out check: the band at the cut, the actual totals of the H weeks after it
const cutAt = ds.weeks - H - 1;
const cut = cutDataset(ds, cutAt);
const r = await predictSeries(f, cut, cut.series.map((_, i) => i), { levels: [LEVEL] });
const series = currentForecasts(cut, r).map((c) => c.series);
const b = await band(cut, series);
if ('reason' in b) throw new Error(b.reason);
console.log(`model trained through ${f.meta.trained_through}; band at the cut from ${b.origins.length} origins ${b.origins[0]} … ${b.origins.at(-1)}; held-out weeks from week ${cutAt + 1} of ${ds.weeks}`);
const byKey = new Map(ds.series.map((s, i) => [`${s.produto}:${s.regiao}`, i]));
const regioes = [...new Set(series.map((i) => cut.series[i].regiao))].sort((a, b) => a - b);
const groups = [[ALL_SERIES, () => true], ...regioes.map((g) => [ufGroup(g), (x) => x === g])];
const L = levelName(LEVEL);
let inTotals = 0;
let inOld = 0;
let nTotals = 0;
for (const [c, ch] of ds.channels.entries()) {
  for (const [g, keep] of groups) {
    const F = new Array(H).fill(0);
    const A = new Array(H).fill(0);
    let oldLo = 0;
    let oldHi = 0;
    for (const p of r.predictions) {
      if (p.dates[0] !== r.predictions[0].dates[0] || !keep(p.regiao)) continue;
      const s = ds.series[byKey.get(`${p.produto}:${p.regiao}`)];
      for (let h = 0; h < H; h++) {
        F[h] += p.values[ch][h];
        A[h] += s.values[c][cutAt + 1 + h - s.start];
        oldLo += p.intervals[L][ch].lo[h];
        oldHi += p.intervals[L][ch].hi[h];
      }
    }
    const sum = (xs) => xs.reduce((a, x) => a + x, 0);
    const q = b.quantiles.get(g)[c];
    const tb = bandAround(sum(F), q.total);
    const inside = sum(A) >= tb.lower && sum(A) <= tb.upper;
    const insideOld = sum(A) >= oldLo && sum(A) <= oldHi;
    nTotals++;
    inTotals += inside ? 1 : 0;
    inOld += insideOld ? 1 : 0;
    const pct = (x) => `${(100 * x).toFixed(1)}%`;
    let line = `${ch} ${g}: forecast ${sum(F).toFixed(0)}, actual ${sum(A).toFixed(0)} (error ${pct(sum(A) / sum(F) - 1)}), band ±${pct(q.total)} ${inside ? 'inside' : 'OUTSIDE'}; sum of series bounds ${oldLo.toFixed(0)} … ${oldHi.toFixed(0)} (−${pct(1 - oldLo / sum(F))} / +${pct(oldHi / sum(F) - 1)}) ${insideOld ? 'inside' : 'OUTSIDE'}`;
    if (g === ALL_SERIES) {
      let weeklyIn = 0;
      F.forEach((x, h) => {
        const w = bandAround(x, q.weekly[h]);
        if (A[h] >= w.lower && A[h] <= w.upper) weeklyIn++;
      });
      line += `; weekly totals inside their band: ${weeklyIn} of ${H} (half-widths by step: ${q.weekly.map((x) => (100 * x).toFixed(0)).join(" ")} %)`;
    }
    console.log(line);
  }
}
// 3. the weekly band's alternative, for comparison: a quantile of each step's own scores
{
  const refs = backtestWindows(cut, { origins: 26, horizon: H, minHistory: MIN_HISTORY_WEEKS }).filter((x) => series.includes(x.series));
  const fc = await forecastSeries(f, cut, refs);
  const totals = groupOriginTotals(cut, refs, fc.values, H, () => [ALL_SERIES]).get(ALL_SERIES);
  for (const [c, ch] of ds.channels.entries()) {
    const q = Array.from({ length: H }, (_, h) => finiteSampleQuantile(totals[c].map((o) => relativeError(o.actual[h], o.forecast[h])).sort((x, y) => x - y), LEVEL));
    let n = 0;
    for (let h = 0; h < H; h++) {
      let F = 0;
      let A = 0;
      for (const p of r.predictions) {
        if (p.dates[0] !== r.predictions[0].dates[0]) continue;
        const s = ds.series[byKey.get(`${p.produto}:${p.regiao}`)];
        F += p.values[ch][h];
        A += s.values[c][cutAt + 1 + h - s.start];
      }
      const w = bandAround(F, q[h]);
      if (A >= w.lower && A <= w.upper) n++;
    }
    console.log(`${ch} all, alternative: a quantile per step: half-widths by step ${q.map((x) => (100 * x).toFixed(0)).join(' ')} %, weekly totals inside: ${n} of ${H}`);
  }
}
console.log(`totals inside the band: ${inTotals} of ${nTotals}; inside the sum of series bounds: ${inOld} of ${nTotals}`);
f.model.dispose();
