/**
 * One seeded short training on synthetic data (the last 12 weeks held out), then: the CI accuracy
 * test (issue 6: the model beats seasonal naive on the held-out weeks), evaluate's report and
 * alerts, and predict's forecasts, intervals, CSV and errors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/config/thresholds.js';
import { loadWeekly, synthesize, type WeeklyDataset } from '../../src/data/index.js';
import { DataError } from '../../src/errors.js';
import { evaluateForecaster, saveEvaluation, type Evaluation } from '../../src/evaluate/index.js';
import { loadForecaster } from '../../src/predict/load-forecaster.js';
import { findSeries, predictionsCsv, predictSeries, readPairs, type Forecaster } from '../../src/predict/index.js';
import { trainModel, TRAIN_DEFAULTS } from '../../src/train/index.js';
import { useBackend } from '../helpers/backend.js';
import { expectNoLeak } from '../helpers/no-leak.js';

const dir = mkdtempSync(join(tmpdir(), 'ttm-predict-'));
const H = 8;
let forecaster: Forecaster;
let full: WeeklyDataset;
let evaluation: Evaluation;

/** Rows for an extra series: produto `p`, uf `u`, the last `n` weeks of the calendar. */
function extraRows(dates: string[], p: number, u: number, n: number): string[] {
  return dates.slice(dates.length - n).map((d) => `${d},${p},${u},5,50`);
}

beforeAll(async () => {
  await useBackend('wasm');
  // 8 produtos x 6 UFs x 110 weeks (seed 1); the model sees all but the last 12 weeks.
  const { csv } = synthesize({ products: 8, regions: 6, weeks: 110, seed: 1 });
  const lines = csv.trim().split('\n');
  const dates = [...new Set(lines.slice(1).map((l) => l.split(',')[0]))].sort();
  const cut = dates[dates.length - 12];
  writeFileSync(join(dir, 'train.csv'), `${[lines[0], ...lines.slice(1).filter((l) => l.split(',')[0] < cut)].join('\n')}\n`);
  // The full file adds a series the model cannot know (uf 77) and one with 5 weeks of history.
  writeFileSync(join(dir, 'full.csv'), `${[...lines, ...extraRows(dates, 500, 77, 110), ...extraRows(dates, 501, 0, 5)].join('\n')}\n`);
  await trainModel({
    ...TRAIN_DEFAULTS,
    data: join(dir, 'train.csv'),
    output: join(dir, 'model'),
    results: join(dir, 'results'),
    context: 52,
    horizon: H,
    epochs: 2,
    stride: 4,
    seed: 42,
    checkpointEverySteps: 0,
  });
  forecaster = await loadForecaster(join(dir, 'model'));
  full = await loadWeekly(join(dir, 'full.csv'));
  evaluation = await evaluateForecaster(forecaster, full, { origins: 4, levels: [0.8, 0.9], thresholds: { ...DEFAULT_THRESHOLDS, errorRate: 0.01 } });
}, 300_000);

afterAll(() => {
  forecaster?.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('accuracy (issue 6 acceptance, CI)', () => {
  it('a seeded short training beats seasonal naive 52 on held-out weeks, on both channels', () => {
    const r = evaluation.report;
    expect(r.held_out_share).toBe(1); // every scored week is after the training data
    const b = r.backtest;
    expect(b.windows).toBe(4 * 48);
    for (const ch of ['vendas', 'faturamento']) {
      const cov = b.intervals[ch].map((i) => `${i.level}: ${(100 * i.coverage).toFixed(1)}%`).join(', ');
      console.log(`${ch}: WAPE ttm ${b.methods.ttm[ch].wape.toFixed(3)} vs snaive52 ${b.methods.snaive52[ch].wape.toFixed(3)}; MASE ${b.methods.ttm[ch].mase.toFixed(3)} vs ${b.methods.snaive52[ch].mase.toFixed(3)}; coverage ${cov}`);
      // Measured: skill 0.20 (vendas) and 0.23 (faturamento) in WAPE; seeds 2 and 3 of the data give >= 0.11.
      expect(b.skill[ch].snaive52.wape).toBeGreaterThan(0.08);
      expect(b.skill[ch].snaive52.mase).toBeGreaterThan(0.1);
      expect(b.methods.ttm[ch].nPoints).toBe(b.methods.snaive52[ch].nPoints);
    }
  });

  it('reports interval coverage near the nominal level on the held-out weeks', () => {
    for (const ch of ['vendas', 'faturamento']) {
      const [i80, i90] = evaluation.report.backtest.intervals[ch];
      expect(i80.level).toBe(0.8);
      expect(i90.coverage).toBeGreaterThan(0.75);
      expect(i90.coverage).toBeGreaterThanOrEqual(i80.coverage);
      expect(i90.meanWidth).toBeGreaterThan(i80.meanWidth);
    }
  });
});

describe('evaluateForecaster', () => {
  it('counts the series it cannot forecast in the error rate and fires that alert (threshold 1% here)', () => {
    const b = evaluation.report.backtest;
    expect(b.series).toBe(49); // 48 + the uf-77 series (the 5-week one has no season of history)
    expect(b.failedSeries).toBe(1);
    expect(b.errorRate).toBeCloseTo(1 / 49, 12);
    expect(evaluation.report.alerts.map((a) => a.name)).toContain('errorRate');
    expect(evaluation.report.healthy).toBe(false);
  });

  it('measures drift per channel and latency per batch, and builds one panel per regiao', () => {
    const r = evaluation.report;
    for (const ch of ['vendas', 'faturamento']) expect(r.drift[ch].psi).toBeGreaterThanOrEqual(0);
    expect(r.latency.batches).toBe(1);
    expect(r.latency.seconds_per_batch).toBeGreaterThan(0);
    expect(evaluation.panels.vendas.map((p) => p.regiao)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('is healthy when every threshold is off, and the saved report reads back as JSON', async () => {
    const off = Object.fromEntries(Object.keys(DEFAULT_THRESHOLDS).map((k) => [k, null])) as unknown as typeof DEFAULT_THRESHOLDS;
    const { report } = await evaluateForecaster(forecaster, full, { origins: 1, thresholds: off });
    expect(report.alerts).toEqual([]);
    expect(report.healthy).toBe(true);
    const path = await saveEvaluation(join(dir, 'results'), report);
    expect(path).toMatch(/evaluations\/\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
    expect(JSON.parse(readFileSync(path, 'utf8')).backtest.windows).toBe(48);
  });
});

describe('predictSeries', () => {
  it('forecasts the weeks after the last week with nested, non-negative intervals', async () => {
    const i = findSeries(full, { produto: 3, regiao: 2 });
    const r = await predictSeries(forecaster, full, [i], { levels: [0.8, 0.95], strict: true });
    const p = r.predictions[0];
    expect(p.lastWeek).toBe('2025-02-03');
    expect(p.dates[0]).toBe('2025-02-10');
    expect(p.dates).toHaveLength(H);
    for (const ch of ['vendas', 'faturamento']) {
      for (let h = 0; h < H; h++) {
        const v = p.values[ch][h];
        const [a, b] = [p.intervals['80'][ch], p.intervals['95'][ch]];
        expect(b.lo[h]).toBeGreaterThanOrEqual(0);
        expect(b.lo[h]).toBeLessThanOrEqual(a.lo[h]);
        expect(a.lo[h]).toBeLessThanOrEqual(v);
        expect(v).toBeLessThanOrEqual(a.hi[h]);
        expect(a.hi[h]).toBeLessThanOrEqual(b.hi[h]);
      }
    }
    const short = await predictSeries(forecaster, full, [i], { levels: [0.9], horizon: 3 });
    expect(short.predictions[0].values.vendas).toEqual(p.values.vendas.slice(0, 3));
  });

  it('writes the CSV columns of the issue, per level, for every series in one pass', async () => {
    const r = await predictSeries(forecaster, full, full.series.map((_, i) => i), { levels: [0.9, 0.95] });
    expect(r.predictions).toHaveLength(48);
    expect(r.skipped.map((s) => s.key)).toEqual([
      { produto: 500, regiao: 77 },
      { produto: 501, regiao: 0 },
    ]);
    expect(r.skipped[0].reason).toMatch(/uf_cat 77 is not in the model's vocabulary/);
    const lines = predictionsCsv(r).trim().split('\n');
    expect(lines[0]).toBe('date,produto_cat,uf_cat,vendas,faturamento,vendas_lo_90,vendas_hi_90,faturamento_lo_90,faturamento_hi_90,vendas_lo_95,vendas_hi_95,faturamento_lo_95,faturamento_hi_95');
    expect(lines).toHaveLength(1 + 48 * H);
    for (const line of lines.slice(1)) for (const x of line.split(',').slice(3)) expect(Number(x)).toBeGreaterThanOrEqual(0);
  });

  it('names what the data holds when produto or regiao is unknown', () => {
    expect(() => findSeries(full, { produto: 42, regiao: 0 })).toThrow(/produto_cat 42 is not in the data; produtos: 0, 1, 2, 3, 4, 5, 6, 7, 500, 501 \(10 in all\)/);
    expect(() => findSeries(full, { produto: 3, regiao: 9 })).toThrow(/produto_cat 3 has no rows for uf_cat 9; its regioes: 0, 1, 2, 3, 4, 5 \(6 in all\)/);
  });

  it('says what a too-short history needs, and what the model knows of an unknown uf', async () => {
    const short = findSeries(full, { produto: 501, regiao: 0 });
    await expect(predictSeries(forecaster, full, [short], { levels: [0.9], strict: true })).rejects.toThrow(/has 5 observed weeks .* needs at least 13/);
    const unknown = findSeries(full, { produto: 500, regiao: 77 });
    await expect(predictSeries(forecaster, full, [unknown], { levels: [0.9], strict: true })).rejects.toThrow(DataError);
    await expect(predictSeries(forecaster, full, [0], { levels: [0.9], horizon: H + 1 })).rejects.toThrow(/forecasts 1 … 8 weeks/);
  });
});

describe('tensors', () => {
  it('predictSeries and evaluateForecaster leave no tensor behind', async () => {
    await expectNoLeak(() => predictSeries(forecaster, full, [0, 1, 2], { levels: [0.9] }));
    await expectNoLeak(() => evaluateForecaster(forecaster, full, { origins: 1 }));
  });
});

describe('readPairs', () => {
  it('reads produto_cat,uf_cat pairs in any column order, once each', async () => {
    const f = join(dir, 'pairs.csv');
    writeFileSync(f, 'uf_cat,produto_cat\r\n2,3\r\n0,1\r\n2,3\r\n');
    expect(await readPairs(f)).toEqual([
      { produto: 3, regiao: 2 },
      { produto: 1, regiao: 0 },
    ]);
  });

  it('refuses a file without the columns or with a non-integer code, naming the line', async () => {
    const f = join(dir, 'bad-pairs.csv');
    writeFileSync(f, 'produto,uf\n1,2\n');
    await expect(readPairs(f)).rejects.toThrow(/bad-pairs.csv:1: columns produto_cat and uf_cat expected/);
    writeFileSync(f, 'produto_cat,uf_cat\n1,2\n1.5,x\n');
    await expect(readPairs(f)).rejects.toThrow(/bad-pairs.csv:3: "1.5,x" does not hold two integer codes/);
    expect(existsSync(join(dir, 'nope.csv'))).toBe(false);
    await expect(readPairs(join(dir, 'nope.csv'))).rejects.toThrow(/cannot read the pairs file/);
  });
});

describe('worker threads (ttm predict / evaluate --threads)', () => {
  it('predictSeries and evaluateForecaster give the same results with a pool of 3 threads', async () => {
    const { ForecastPool } = await import('../../src/predict/index.js');
    const which = full.series.map((_, i) => i);
    // Batches of 16 windows, so that every thread gets some.
    const one = await predictSeries(forecaster, full, which, { levels: [0.9], batchSize: 16 });
    const pool = await ForecastPool.start(forecaster.model, 3);
    try {
      const many = await predictSeries(forecaster, full, which, { levels: [0.9], batchSize: 16, pool });
      expect(predictionsCsv(many)).toBe(predictionsCsv(one));
      const ev = await evaluateForecaster(forecaster, full, { origins: 4, levels: [0.8, 0.9], batchSize: 16, pool });
      const ref = await evaluateForecaster(forecaster, full, { origins: 4, levels: [0.8, 0.9], batchSize: 16 });
      expect(ev.report.backtest).toEqual(ref.report.backtest);
      expect(ev.panels).toEqual(ref.panels);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
