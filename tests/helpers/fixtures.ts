/** Reference cases: the synthetic ones live in the repo, the real-weight ones in ../shared. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensorsFile } from '../../src/io/safetensors-file.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_FIXTURES = resolve(here, '../fixtures');
export const SHARED_FIXTURES = resolve(here, '../../../shared/fixtures');

export const SYNTHETIC_CASES = ['seed-config', 'r2-style', 'r2-small-exog', 'freq-token', 'opt-batchnorm', 'opt-self-attn', 'opt-mean-scaler'];
export const REAL_CASES = ['real-r1-finetuned', 'real-r2-finetuned'];

/** Directory of a case, or undefined when it is not on this machine. */
export function caseDir(name: string): string | undefined {
  const dir = REAL_CASES.includes(name) ? join(SHARED_FIXTURES, 'ttm', name) : join(REPO_FIXTURES, 'ttm', name);
  return existsSync(join(dir, 'config.json')) ? dir : undefined;
}

export async function loadCase(name: string) {
  const dir = caseDir(name);
  if (!dir) throw new Error(`fixture case ${name} not found`);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const inputs = (await readSafetensorsFile(join(dir, 'inputs.safetensors'))).tensors;
  const expected = (await readSafetensorsFile(join(dir, 'expected.safetensors'))).tensors;
  return { dir, meta, inputs, expected };
}

/** Keys the case's meta.json lists as analytically zero gradients (absolute bound). */
export function analyticallyZero(meta: any): { keys: Set<string>; bound: number } {
  const observed = meta?.tolerance?.observed ?? {};
  for (const [k, v] of Object.entries<any>(observed)) {
    if (k.includes('analytically zero')) return { keys: new Set(v.keys), bound: v.float32_max_abs_value };
  }
  return { keys: new Set(), bound: 0 };
}
