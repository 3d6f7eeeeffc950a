/**
 * Data-parallel forecasting (src/predict/parallel-forecast.ts): worker threads, each with its own
 * backend and a copy of the model, share the batches; the forecasts must be identical to one
 * thread's, bit for bit, on each backend. The workers run the build (dist/), like the CLI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { DESIGN_CONFIG } from '../../src/config/design-config.js';
import { fitPreprocessor, forecastRefs, loadWeekly, synthesize, type Preprocessor, type WeeklyDataset } from '../../src/data/index.js';
import { makeTtmConfig, TtmModel } from '../../src/model/index.js';
import { forecastThreads, forecastWindows, ForecastPool } from '../../src/predict/index.js';
import { useBackend } from '../helpers/backend.js';

const dir = mkdtempSync(join(tmpdir(), 'ttm-parallel-forecast-'));
let ds: WeeklyDataset;
let pre: Preprocessor;
const designConfig = () =>
  makeTtmConfig({ ...DESIGN_CONFIG, prediction_channel_indices: [0, 1], categorical_vocab_size_list: [pre.vocab.regiao.length] });

beforeAll(async () => {
  const { csv } = synthesize({ products: 10, regions: 6, weeks: 130, seed: 3 });
  writeFileSync(join(dir, 'data.csv'), csv);
  ds = await loadWeekly(join(dir, 'data.csv'));
  pre = fitPreprocessor(ds);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('forecastThreads', () => {
  it('asks for no more threads than there are batches', () => {
    expect(forecastThreads(900, 256, 8)).toBe(4);
    expect(forecastThreads(900, 256, 2)).toBe(2);
    expect(forecastThreads(200, 256, 8)).toBe(1);
    expect(forecastThreads(0, 256, 8)).toBe(1);
  });

  it('runs on one thread unless asked for more', () => {
    expect(forecastThreads(1000 * 256, 256)).toBe(1);
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`data-parallel forecast on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it('three threads give the forecasts of one, bit for bit, in the same order', async () => {
      const model = TtmModel.create(designConfig(), 7);
      model.prepareForInference();
      // The pure-JS cpu backend is slow: fewer windows there.
      const refs = forecastRefs(ds, { series: ds.series.map((_, i) => i) }).slice(0, backend === 'cpu' ? 24 : 60);
      const o = { preprocessor: pre, batchSize: 8 }; // 8 batches (3 on cpu)
      const one = await forecastWindows(model, ds, refs, o);
      const before = tf.memory().numTensors;
      const pool = await ForecastPool.start(model, 3);
      try {
        expect(pool.threads).toBe(3);
        const many = await forecastWindows(model, ds, refs, { ...o, pool });
        expect(many.values.length).toBe(one.values.length);
        many.values.forEach((v, i) => expect(v, `window ${i}`).toEqual(one.values[i]));
        // A second job on the same pool (as a server would run).
        const again = await forecastWindows(model, ds, refs.slice(5, 30), { ...o, pool });
        again.values.forEach((v, i) => expect(v).toEqual(one.values[i + 5]));
      } finally {
        await pool.close();
      }
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }, 120_000);

    it.skipIf(backend === 'cpu')('a background pool computes every batch in its worker: the same forecasts, none on the calling thread', async () => {
      const model = TtmModel.create(designConfig(), 7);
      model.prepareForInference();
      const refs = forecastRefs(ds, { series: ds.series.map((_, i) => i) }).slice(0, 40);
      const o = { preprocessor: pre, batchSize: 8 };
      const one = await forecastWindows(model, ds, refs, o);
      const pool = await ForecastPool.start(model, 1, { background: true });
      const forward = vi.spyOn(model, 'forward');
      try {
        expect(pool.threads).toBe(1);
        expect(pool.workerThreads).toBe(1);
        const bg = await forecastWindows(model, ds, refs, { ...o, pool });
        bg.values.forEach((v, i) => expect(v, `window ${i}`).toEqual(one.values[i]));
        expect(forward).not.toHaveBeenCalled();
      } finally {
        forward.mockRestore();
        await pool.close();
      }
      model.dispose();
    }, 60_000);

    it.skipIf(backend === 'cpu')('a pool started on another model is refused', async () => {
      const cfg = designConfig();
      const a = TtmModel.create(cfg, 1);
      const b = TtmModel.create(cfg, 2);
      const pool = await ForecastPool.start(a, 1);
      const refs = forecastRefs(ds, { series: [0, 1] });
      await expect(forecastWindows(b, ds, refs, { preprocessor: pre, pool })).resolves.toBeDefined(); // threads 1: no workers, nothing shared
      await pool.close();
      const pool2 = await ForecastPool.start(a, 2);
      await expect(forecastWindows(b, ds, refs, { preprocessor: pre, pool: pool2 })).rejects.toThrow(/another model/);
      await pool2.close();
      a.dispose();
      b.dispose();
    }, 60_000);
  });
}
