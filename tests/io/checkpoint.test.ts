import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, saveModel } from '../../src/io/checkpoint.js';
import { parseSafetensors, serializeSafetensors } from '../../src/io/safetensors.js';
import { useBackend } from '../helpers/backend.js';
import { caseDir, SYNTHETIC_CASES } from '../helpers/fixtures.js';

/** Header of a safetensors file: key → {dtype, shape} (offsets aside). */
function headerOf(file: string): Record<string, { dtype: string; shape: number[] }> {
  const b = readFileSync(file);
  const n = Number(b.readBigUInt64LE(0));
  const h = JSON.parse(b.subarray(8, 8 + n).toString('utf8'));
  delete h.__metadata__;
  return Object.fromEntries(Object.entries<any>(h).map(([k, v]) => [k, { dtype: v.dtype, shape: v.shape }]));
}

describe('io/checkpoint', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const name of SYNTHETIC_CASES) {
    it(`${name}: save writes the same keys, shapes and dtypes as the Python checkpoint, and reloads losslessly`, async () => {
      const dir = caseDir(name)!;
      const { model } = await loadModel(dir);
      const out = mkdtempSync(join(tmpdir(), 'ttm-ckpt-'));
      await saveModel(model, out);
      expect(headerOf(join(out, 'model.safetensors'))).toEqual(headerOf(join(dir, 'model.safetensors')));
      const original = parseSafetensors(readFileSync(join(dir, 'model.safetensors')), 'orig').tensors;
      const written = parseSafetensors(readFileSync(join(out, 'model.safetensors')), 'ours').tensors;
      for (const [k, t] of original) expect(Array.from(written.get(k)!.data), k).toEqual(Array.from(t.data));
      const ourConfig = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      const theirConfig = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      for (const key of Object.keys(theirConfig)) expect(ourConfig, `config key ${key}`).toHaveProperty(key);
      expect(Object.keys(ourConfig)).toEqual([...Object.keys(ourConfig)].sort());
      const again = await loadModel(out);
      again.model.dispose();
      model.dispose();
    });
  }

  it('fills keys an old config lacks with the reference defaults', async () => {
    const dir = caseDir('real-r1-finetuned');
    if (!dir) return console.log('skipping: ../shared/fixtures/ttm/real-r1-finetuned is absent');
    const { model } = await loadModel(dir);
    expect(model.config.enable_forecast_channel_mixing).toBe(false);
    expect(model.config.categorical_vocab_size_list).toBeNull();
    expect(model.config.num_patches).toBe(16);
    model.dispose();
  });
});

describe('io/checkpoint bad input', () => {
  const seed = () => caseDir('seed-config')!;
  const copyCase = () => {
    const d = mkdtempSync(join(tmpdir(), 'ttm-bad-'));
    for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(seed(), f), join(d, f));
    return d;
  };
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('rejects a config.json that is not a TTM config', async () => {
    const d = copyCase();
    writeFileSync(join(d, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 768 }));
    await expect(loadModel(d)).rejects.toThrow(/config\.json: model_type is "bert", expected "tinytimemixer"/);
  });

  it('rejects a truncated safetensors file naming the file', async () => {
    const d = copyCase();
    const b = readFileSync(join(d, 'model.safetensors'));
    writeFileSync(join(d, 'model.safetensors'), b.subarray(0, b.length - 100));
    await expect(loadModel(d)).rejects.toThrow(/model\.safetensors: tensor ".*" data_offsets .* run past the end of the data/);
  });

  it('rejects a header whose offsets overlap', () => {
    const bytes = serializeSafetensors(new Map([
      ['a', { dtype: 'F32' as const, shape: [2], data: [1, 2] }],
      ['b', { dtype: 'F32' as const, shape: [2], data: [3, 4] }],
    ]));
    const view = Buffer.from(bytes);
    const n = Number(view.readBigUInt64LE(0));
    const header = JSON.parse(view.subarray(8, 8 + n).toString());
    header.b.data_offsets = [4, 12];
    const json = Buffer.from(JSON.stringify(header).padEnd(n, ' '));
    json.copy(view, 8);
    expect(() => parseSafetensors(view, 'x.safetensors')).toThrow(/x\.safetensors: tensors "a" and "b" overlap/);
  });

  it('rejects a header length past the end of the file', () => {
    const b = Buffer.alloc(16);
    b.writeBigUInt64LE(1000n, 0);
    expect(() => parseSafetensors(b, 'y.safetensors')).toThrow(/y\.safetensors: header length 1000 runs past the end/);
  });

  it('rejects a missing parameter with its expected shape', async () => {
    const d = copyCase();
    const t = parseSafetensors(readFileSync(join(d, 'model.safetensors')), 'm').tensors;
    t.delete('head.base_forecast_block.bias');
    writeFileSync(join(d, 'model.safetensors'), serializeSafetensors(new Map([...t].map(([k, v]) => [k, { dtype: "F32" as const, shape: v.shape, data: v.data }]))));
    await expect(loadModel(d)).rejects.toThrow(/missing parameter "head\.base_forecast_block\.bias" \(expected shape \[26\]\)/);
  });

  it('rejects a mis-shaped parameter', async () => {
    const d = copyCase();
    const cfg = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
    cfg.prediction_length = 30;
    writeFileSync(join(d, 'config.json'), JSON.stringify(cfg));
    await expect(loadModel(d)).rejects.toThrow(/parameter "head\.base_forecast_block\.weight" has shape \[26, 104\], config\.json needs \[30, 104\]/);
  });

  it('rejects an unexpected parameter', async () => {
    const d = copyCase();
    const t = parseSafetensors(readFileSync(join(d, 'model.safetensors')), 'm').tensors;
    const entries = new Map([...t].map(([k, v]) => [k, { dtype: "F32" as const, shape: v.shape, data: v.data }]));
    entries.set('head.extra.weight', { dtype: 'F32', shape: [1], data: new Float32Array([0]) });
    writeFileSync(join(d, 'model.safetensors'), serializeSafetensors(entries));
    await expect(loadModel(d)).rejects.toThrow(/unexpected parameter "head\.extra\.weight"/);
    expect(existsSync(join(d, 'config.json'))).toBe(true);
  });
});
