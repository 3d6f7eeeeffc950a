/**
 * The identity of a trained model directory, written into every warehouse row (`model_version`):
 * a registry version's own id (`v0003`, as the server reports it) when the directory is
 * `<registry>/versions/<version>/`, else a hash of the files that decide its forecasts
 * (config.json, model.safetensors, preprocessor.json, forecaster.json): same files, same version,
 * wherever the directory is copied; retraining with any change gives a new one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckpointError } from '../errors.js';
import { readRegistration } from './registry.js';
import { REGISTRATION_FILE } from './registry-files.js';
import { isVersionId } from './version-id.js';

export const MODEL_FILES = ['config.json', 'model.safetensors', 'preprocessor.json', 'forecaster.json'] as const;

/** The registry version of `dir`, or `ttm-` + 16 hex digits of its content hash. */
export async function modelVersion(dir: string): Promise<string> {
  const full = resolve(dir);
  const registered = await fs.access(join(full, REGISTRATION_FILE)).then(() => true, () => false);
  if (registered && isVersionId(basename(full)) && basename(dirname(full)) === 'versions') {
    return (await readRegistration(dirname(dirname(full)), basename(full))).version;
  }
  return contentVersion(dir);
}

/** `ttm-` and the first 16 hex digits of SHA-256 over the model files (name, length, bytes). */
export async function contentVersion(dir: string): Promise<string> {
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
