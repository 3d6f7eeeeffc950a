/**
 * A checkpoint pulled through the loopback Hub is the fixture checkpoint: the real r2 fine-tune
 * (../shared/fixtures/ttm/real-r2-finetuned) gives the same forward outputs pulled as loaded from
 * its folder, and both match the PyTorch reference. Skipped, with the reason printed, when the
 * shared fixtures are not on this machine.
 */
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/io/checkpoint.js';
import { disposeInputs, inputsFromTensors } from '../../src/io/forward-io.js';
import { readSafetensorsFile } from '../../src/io/safetensors-file.js';
import { pull } from '../../src/hub/index.js';
import { loadPretrained } from '../../src/hub/load-pretrained.js';
import { referenceOutputs, type NamedArray, type TtmInputs, type TtmModel } from '../../src/model/index.js';
import { expectClose, FORWARD_TOL } from '../helpers/expect-close.js';
import { SHARED_FIXTURES } from '../helpers/fixtures.js';
import { useBackend } from '../helpers/backend.js';
import { sha256, startFakeHub, type FakeHub } from './fake-hub.js';

const FIXTURE = join(SHARED_FIXTURES, 'ttm', 'real-r2-finetuned');
const present = ['config.json', 'model.safetensors', 'inputs.safetensors', 'expected.safetensors'].every((f) => existsSync(join(FIXTURE, f)));
if (!present) console.log(`hub/pretrained-parity: skipped, ${FIXTURE} is not on this machine`);

const REPO = 'someone/ttm-r2-finetune';
const COMMIT = 'b'.repeat(40);
const OUTPUTS = ['prediction_outputs', 'backbone_hidden_state', 'decoder_hidden_state', 'loc', 'scale'];
let hub: FakeHub;
let cache: string;

beforeAll(async () => {
  await useBackend('wasm');
  if (!present) return;
  const files = {
    'config.json': await fs.readFile(join(FIXTURE, 'config.json')),
    'model.safetensors': await fs.readFile(join(FIXTURE, 'model.safetensors')),
  };
  hub = await startFakeHub({ [REPO]: { refs: { main: COMMIT }, files } });
  cache = await fs.mkdtemp(join(tmpdir(), 'ttm-parity-'));
});
afterAll(async () => {
  await hub?.close();
  if (cache) await fs.rm(cache, { recursive: true, force: true });
});

const hubOpts = () => ({ hub: { endpoint: hub.endpoint, cache, offline: false, token: undefined }, retryDelayMs: 0 });

/** The fixture's inputs without future_values: the outputs compared here need no loss (a real-size forward takes seconds). */
async function inputs(): Promise<TtmInputs> {
  const file = join(FIXTURE, 'inputs.safetensors');
  const tensors = (await readSafetensorsFile(file)).tensors;
  tensors.delete('future_values');
  return inputsFromTensors(tensors, file);
}

let directOutputs: Map<string, NamedArray> | undefined;
/** Forward outputs of the fixture folder loaded directly (computed once). */
async function direct(x: TtmInputs): Promise<Map<string, NamedArray>> {
  directOutputs ??= await outputsOf((await loadModel(FIXTURE)).model, x);
  return directOutputs;
}

async function outputsOf(model: TtmModel, x: TtmInputs): Promise<Map<string, NamedArray>> {
  try {
    return await referenceOutputs(model, x);
  } finally {
    model.dispose();
  }
}

describe.skipIf(!present)('hub: a pulled checkpoint is the fixture checkpoint', () => {
  it('same bytes, and bit-identical forward outputs that match the reference', async () => {
    // Dropped once mid-file: the resumed download must still be the same checkpoint.
    hub.dropAfter = { bytes: 1 << 20, times: 1 };
    const pulled = await pull({ repo: REPO, ...hubOpts() });
    expect(pulled.commit).toBe(COMMIT);
    expect(hub.log.some((l) => l.range !== undefined), 'the download resumed with a Range request').toBe(true);
    for (const f of ['config.json', 'model.safetensors'])
      expect(sha256(await fs.readFile(join(pulled.dir, f)))).toBe(sha256(await fs.readFile(join(FIXTURE, f))));

    const x = await inputs();
    try {
      const viaHub = await outputsOf((await loadModel(pulled.dir)).model, x);
      const expected = (await readSafetensorsFile(join(FIXTURE, 'expected.safetensors'))).tensors;
      for (const key of OUTPUTS) {
        const a = viaHub.get(key)!;
        const b = (await direct(x)).get(key)!;
        expect(a.shape, key).toEqual(b.shape);
        expect(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength)), `${key}: bit-identical`).toBe(true);
        expectClose(`pulled ${key}`, a.data, expected.get(key)!.data, FORWARD_TOL);
      }
    } finally {
      disposeInputs(x);
    }
  }, 120_000);

  it('loaded with a shorter horizon, the pulled model forecasts the first steps of the same forecast', async () => {
    const x = await inputs();
    try {
      const p = await loadPretrained(REPO, { context: 512, horizon: 26 }, { resolve: hubOpts() });
      expect(p.source).toBe(`${REPO}@main`);
      expect(p.adaptation).toMatchObject({ readLast: 512, predictionFilterLength: 26, freqToken: null });
      expect(p.fresh).toEqual([]);
      const filtered = await outputsOf(p.model, x);
      const full = (await direct(x)).get('prediction_outputs')!;
      const first = filtered.get('prediction_outputs')!;
      const [B, H, C] = full.shape;
      expect(first.shape).toEqual([B, 26, C]);
      const want = new Float32Array(B * 26 * C);
      for (let b = 0; b < B; b++) want.set(full.data.subarray(b * H * C, (b * H + 26) * C), b * 26 * C);
      expect(Array.from(first.data)).toEqual(Array.from(want));
    } finally {
      disposeInputs(x);
    }
  }, 120_000);
});
