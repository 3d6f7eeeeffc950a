/**
 * `--backend wasm-threaded` (src/runtime/wasm-threaded.ts): the threaded-SIMD binary with
 * XNNPACK's pool under Node. It must start with the requested threads, match the reference
 * fixtures and the single-threaded backend, let the process exit, and hand 'wasm' back to the
 * package's own loader.
 */
import { availableParallelism } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { loadModel } from '../../src/io/checkpoint.js';
import { disposeInputs, inputsFromTensors, outputsToTensors } from '../../src/io/forward-io.js';
import { referenceOutputs } from '../../src/model/index.js';
import { currentBackend, initBackend } from '../../src/runtime/backend.js';
import { enableGradients } from '../../src/runtime/gradients.js';
import { expectClose, FORWARD_TOL, GRAD_TOL } from '../helpers/expect-close.js';
import { loadCase } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ttm-wasm-threaded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function seedConfigOutputs() {
  const c = await loadCase('seed-config');
  const { model } = await loadModel(c.dir);
  const inputs = inputsFromTensors(c.inputs, 'seed-config');
  const out = outputsToTensors(await referenceOutputs(model, inputs, { grads: true, hiddenStates: true, intermediates: true }));
  disposeInputs(inputs);
  model.dispose();
  return { c, out };
}

describe('wasm-threaded', () => {
  it('starts a pool of one thread per core and matches the fixture and single-threaded wasm', async () => {
    await enableGradients();
    const choice = await initBackend('wasm-threaded');
    const threads = Math.min(availableParallelism(), 8);
    expect(choice.name).toBe('wasm-threaded');
    expect(choice.detail).toBe(`SIMD, ${threads} thread${threads > 1 ? 's' : ''}`);
    expect(tf.getBackend()).toBe('wasm');
    const threaded = await seedConfigOutputs();
    let compared = 0;
    for (const [key, exp] of threaded.c.expected) {
      expectClose(`seed-config ${key}`, threaded.out.get(key)!.data, exp.data, key.startsWith('grad.') ? GRAD_TOL : FORWARD_TOL);
      compared++;
    }
    expect(compared).toBe(threaded.c.expected.size);

    // Back to the package's own single-threaded loader in the same process.
    const stock = await initBackend('wasm');
    expect(stock.detail).toBe('SIMD, 1 thread');
    expect(currentBackend()?.name).toBe('wasm');
    const single = await seedConfigOutputs();
    for (const [key, t] of single.out) expect(threaded.out.get(key)!.data, key).toEqual(t.data);
  }, 120_000);

  it('ttm forward --backend wasm-threaded says how many threads, writes the same file and exits', () => {
    const args = (b: string) => ['forward', '--backend', b, '--model', 'tests/fixtures/ttm/seed-config', '--inputs', 'tests/fixtures/ttm/seed-config/inputs.safetensors', '--out', join(dir, `${b}.safetensors`)];
    const a = runCli(args('wasm-threaded'), { timeout: 120_000 });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/backend: wasm-threaded \(SIMD, \d+ threads?\)/);
    const b = runCli(args('wasm'), { timeout: 120_000 });
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(dir, 'wasm-threaded.safetensors'))).toEqual(readFileSync(join(dir, 'wasm.safetensors')));
  }, 240_000);
});
