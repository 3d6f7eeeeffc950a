/**
 * What the dashboard tests serve: 900 synthetic series (150 produtos x 6 UFs, 120 weeks), a tiny
 * model trained on them for one short epoch (context 52, the full 26-week horizon; a few seconds
 * on WASM), and two `ttm evaluate` reports saved where the CLI saves them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWeekly, synthesize } from '../../src/data/index.js';
import { evaluateForecaster, saveEvaluation } from '../../src/evaluate/index.js';
import { loadForecaster } from '../../src/predict/index.js';
import { trainModel, TRAIN_DEFAULTS } from '../../src/train/index.js';
import { useBackend } from '../helpers/backend.js';

export interface DashboardFixture {
  dir: string;
  data: string;
  model: string;
  results: string;
}

export async function dashboardFixture(): Promise<DashboardFixture> {
  await useBackend('wasm');
  const dir = mkdtempSync(join(tmpdir(), 'ttm-dashboard-'));
  const data = join(dir, 'data.csv');
  writeFileSync(data, synthesize({ products: 150, regions: 6, weeks: 120, seed: 7 }).csv);
  const model = join(dir, 'model');
  const results = join(dir, 'results');
  await trainModel({ ...TRAIN_DEFAULTS, data, output: model, results, context: 52, horizon: 26, epochs: 1, stride: 26, windowsPerEpoch: 512, checkpointEverySteps: 0, refit: false });
  const f = await loadForecaster(model);
  const ds = await loadWeekly(data);
  for (const origins of [3, 2]) {
    const e = await evaluateForecaster(f, ds, { origins, source: { model, data } });
    await saveEvaluation(results, e.report);
    await new Promise((r) => setTimeout(r, 5)); // distinct file names (created to the millisecond)
  }
  f.model.dispose();
  return { dir, data, model, results };
}
