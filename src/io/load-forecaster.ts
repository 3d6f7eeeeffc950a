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
  meta = fromWrittenForm(meta);
  const { model } = await loadModel(dir);
  model.prepareForInference();
  return { model, preprocessor, meta };
}

/**
 * forecaster.json is written with snake_case keys (schema_version 2: blend.model_weight,
 * calibration[].scale_window); files of schema_version 1 used camelCase there. Both read into the
 * library's types.
 */
function fromWrittenForm(meta: ForecasterMeta): ForecasterMeta {
  const b = meta.blend as unknown as { window: number; model_weight?: number[]; modelWeight?: number[] };
  const calibration = (meta.calibration as Record<string, unknown>[]).map((c) => {
    if (!c || typeof c !== 'object' || !('scale_window' in c)) return c;
    const { scale_window, ...rest } = c;
    return { ...rest, scaleWindow: scale_window };
  });
  return { ...meta, blend: { window: b.window, modelWeight: (b.model_weight ?? b.modelWeight)! }, calibration };
}
