/** A tiny trained model and its data for the CLI tests of predict and evaluate (a few seconds). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../src/data/index.js';
import { trainModel, TRAIN_DEFAULTS } from '../../src/train/index.js';
import { useBackend } from '../helpers/backend.js';

export const TINY_HORIZON = 8;

/** Trains on 4 produtos x 6 UFs x 80 weeks (context 52, horizon 8, 1 epoch); returns the folder. */
export async function tinyModel(prefix: string): Promise<{ dir: string; data: string; model: string }> {
  await useBackend('wasm');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const data = join(dir, 'data.csv');
  writeFileSync(data, synthesize({ products: 4, regions: 6, weeks: 80, seed: 3 }).csv);
  const model = join(dir, 'model');
  await trainModel({ ...TRAIN_DEFAULTS, data, output: model, results: join(dir, 'results'), context: 52, horizon: TINY_HORIZON, epochs: 1, stride: 4, checkpointEverySteps: 0 });
  return { dir, data, model };
}
