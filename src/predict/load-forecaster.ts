/** Assemble a Forecaster from a final model directory (what `ttm train` writes). */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { preprocessorFromJSON } from '../data/index.js';
import { CheckpointError } from '../errors.js';
import { loadModel } from '../io/checkpoint.js';
import { outputHorizon } from '../model/index.js';
import type { Forecaster } from './forecaster.js';
import { parseForecasterFile } from './forecaster-file.js';

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new CheckpointError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      hint: 'train a model first (ttm train) and use the directory it wrote',
      param: 'model',
    });
  }
}

/**
 * preprocessor.json, forecaster.json, config.json and the weights of `dir`, checked, with the
 * model prepared for inference. The caller owns the model (forecaster.model.dispose()).
 */
export async function loadForecaster(dir: string): Promise<Forecaster> {
  const preprocessor = preprocessorFromJSON(await readText(join(dir, 'preprocessor.json')), join(dir, 'preprocessor.json'));
  const metaFile = join(dir, 'forecaster.json');
  const meta = parseForecasterFile(await readText(metaFile), metaFile);
  const { model } = await loadModel(dir);
  try {
    const H = outputHorizon(model.config);
    if (meta.horizon > H) {
      throw new CheckpointError(`${metaFile}: horizon ${meta.horizon} but the model in ${dir} forecasts ${H} weeks`, { hint: 'the directory mixes files of two trainings: retrain' });
    }
    const exogenous = preprocessor.covariates?.names ?? [];
    if (meta.channels.length + exogenous.length !== model.config.num_input_channels) {
      const inputs = [...meta.channels, ...exogenous];
      throw new CheckpointError(`${metaFile}: ${inputs.length} channels (${inputs.join(', ')}) but the model in ${dir} takes ${model.config.num_input_channels}`, { hint: 'the directory mixes files of two trainings: retrain' });
    }
    model.prepareForInference();
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, preprocessor, meta };
}
