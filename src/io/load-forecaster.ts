/** Read a final model directory (what `ttm train` writes) into a Forecaster. */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { preprocessorFromJSON } from '../data/index.js';
import { CheckpointError } from '../errors.js';
import type { Forecaster, ForecasterMeta } from '../predict/forecaster.js';
import { loadModel } from './checkpoint.js';

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new CheckpointError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      hint: 'train a model first (ttm train) or point --model at the directory ttm train wrote',
    });
  }
}

export async function loadForecaster(dir: string): Promise<Forecaster> {
  const preprocessor = preprocessorFromJSON(await readText(join(dir, 'preprocessor.json')), join(dir, 'preprocessor.json'));
  const metaFile = join(dir, 'forecaster.json');
  let meta: ForecasterMeta;
  try {
    meta = JSON.parse(await readText(metaFile));
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    throw new CheckpointError(`${metaFile}: not valid JSON (${(err as Error).message})`);
  }
  if (meta.format !== 'ttm-forecaster') throw new CheckpointError(`${metaFile}: not a ttm forecaster file`);
  const { model } = await loadModel(dir);
  model.prepareForInference();
  return { model, preprocessor, meta };
}
