import { promises as fs } from 'node:fs';
import { CheckpointError } from '../errors.js';
import { parseSafetensors, type SafetensorsFile } from './safetensors.js';

/** Read and parse a safetensors file; errors name the file. */
export async function readSafetensorsFile(file: string): Promise<SafetensorsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new CheckpointError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseSafetensors(bytes, file);
}

