import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynth } from '../../src/data/index.js';
import { readSafetensorsFile } from '../../src/io/safetensors-file.js';
import { readEvents, trainModel, TRAIN_DEFAULTS, type TrainInfoEvent, type FitEvent } from '../../src/train/index.js';
import { useBackend } from '../helpers/backend.js';
import { caseDir } from '../helpers/fixtures.js';

describe('train/trainModel artifacts', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('writes a Hugging Face-shaped final model, logs with valid tfevents, and keeps a replaced model', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ttm-artifacts-'));
    const data = join(work, 'd.csv');
    await writeSynth(data, { products: 2, regions: 3, weeks: 60, seed: 9 });
    const opts = { ...TRAIN_DEFAULTS, data, output: join(work, 'final'), results: join(work, 'results'), context: 32, horizon: 8, epochs: 2, batchSize: 32, minContext: 16 };
    await trainModel(opts);
    const out = opts.output;
    for (const f of ['config.json', 'model.safetensors', 'preprocessor.json', 'forecaster.json', 'training_args.json', 'metrics.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    // Same config keys as the reference checkpoints, same weight keys/dtypes as a model built from that config.
    const ours = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    const reference = JSON.parse(readFileSync(join(caseDir('seed-config')!, 'config.json'), 'utf8'));
    for (const k of Object.keys(reference)) expect(ours, k).toHaveProperty(k);
    expect(ours.categorical_vocab_size_list).toEqual([3]);
    const weights = (await readSafetensorsFile(join(out, 'model.safetensors'))).tensors;
    const refWeights = (await readSafetensorsFile(join(caseDir('seed-config')!, 'model.safetensors'))).tensors;
    expect([...weights.keys()].sort()).toEqual([...refWeights.keys()].sort());
    const logs = join(opts.results, 'logs');
    const eventFile = readdirSync(logs).find((f) => f.startsWith('events.out.tfevents.'))!;
    const events = readEvents(readFileSync(join(logs, eventFile)), eventFile);
    const tags = events.flatMap((e) => (e.scalars ?? []).map((v) => v.tag));
    expect(new Set(tags)).toEqual(new Set(['loss', 'val_loss', 'lr']));
    expect(readFileSync(join(logs, 'training-curve.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(logs, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);

    const seen: (FitEvent | TrainInfoEvent)[] = [];
    await trainModel({ ...opts, seed: 3, onEvent: (e) => seen.push(e) });
    const replaced = seen.find((e) => e.type === 'replaced');
    expect(replaced).toBeDefined();
    expect(existsSync(join(`${out}.previous`, 'model.safetensors'))).toBe(true);
  });
});
