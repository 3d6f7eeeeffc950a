/**
 * The identity of a trained model directory: a hash of the files that decide its forecasts
 * (config.json, model.safetensors, preprocessor.json, forecaster.json). Same files, same version,
 * wherever the directory is copied; retraining with any change gives a new one. Written into
 * every warehouse row (`model_version`), until a model registry names versions itself.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError } from '../errors.js';

export const MODEL_FILES = ['config.json', 'model.safetensors', 'preprocessor.json', 'forecaster.json'] as const;

/** `ttm-` and the first 16 hex digits of SHA-256 over the model files (name, length, bytes). */
export async function modelVersion(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of MODEL_FILES) {
    const file = join(dir, name);
    const size = await fs.stat(file).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) {
      if (name === 'forecaster.json' || name === 'preprocessor.json') continue;
      throw new CheckpointError(`${file}: missing, cannot name the model version`, { hint: 'point --model at a directory written by ttm train' });
    }
    hash.update(`${name}\0${size}\0`);
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return `ttm-${hash.digest('hex').slice(0, 16)}`;
}
