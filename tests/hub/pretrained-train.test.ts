/**
 * `ttm train --pretrained` with length adaptation, end to end: a small 90-30 checkpoint with
 * resolution prefix tuning (the shape of granite-timeseries-ttm-r2's 90-30-ft-r2.1), served by the
 * loopback Hub or given as a folder, trained for one epoch on 104 + 26 weeks.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSynth } from '../../src/data/index.js';
import { saveModel } from '../../src/io/checkpoint.js';
import { makeTtmConfig, TtmModel } from '../../src/model/index.js';
import { trainModel, TRAIN_DEFAULTS, type TrainInfoEvent } from '../../src/train/index.js';
import { startFakeHub, type FakeHub } from './fake-hub.js';
import { useBackend } from '../helpers/backend.js';

const CARD = 'ibm-granite/granite-timeseries-ttm-r2';
const COMMIT = '9'.repeat(40);
const SENTENCE_9030 =
  'reads the last 90 of the 104 weeks, keeps the first 26 of its 30 forecast weeks (prediction_filter_length 26) and gets frequency token 9 (W).';

let tmp: string;
let data: string;
let checkpoint: string;
let hub: FakeHub;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  await useBackend('wasm');
  tmp = await fs.mkdtemp(join(tmpdir(), 'ttm-pretrained-train-'));
  data = join(tmp, 'weekly.csv');
  await writeSynth(data, { products: 2, regions: 2, weeks: 104 + 26, seed: 7 });
  // One channel, common_channel decoder, no categorical: what a Granite checkpoint looks like.
  const config = makeTtmConfig({
    context_length: 90,
    prediction_length: 30,
    patch_length: 9,
    patch_stride: 9,
    d_model: 8,
    decoder_d_model: 8,
    num_layers: 1,
    decoder_num_layers: 1,
    num_input_channels: 1,
    resolution_prefix_tuning: true,
    frequency_token_vocab_size: 10,
  });
  const model = TtmModel.create(config, 1);
  checkpoint = join(tmp, 'ttm-90-30');
  await saveModel(model, checkpoint);
  model.dispose();
  const files = {
    'config.json': await fs.readFile(join(checkpoint, 'config.json')),
    'model.safetensors': await fs.readFile(join(checkpoint, 'model.safetensors')),
  };
  hub = await startFakeHub({ [CARD]: { refs: { main: 'a'.repeat(40), '90-30-ft-r2.1': COMMIT }, files } });
  // trainModel reads the Hub settings from the environment, as the CLI does.
  const env = { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(tmp, 'hf-cache'), HF_HUB_OFFLINE: '0', HF_TOKEN: '' };
  for (const [k, v] of Object.entries(env)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await hub?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function train(pretrained: string, name: string) {
  const events: TrainInfoEvent[] = [];
  const output = join(tmp, name, 'final');
  await trainModel({
    ...TRAIN_DEFAULTS,
    data,
    output,
    results: join(tmp, name, 'results'),
    pretrained,
    epochs: 1,
    batchSize: 32,
    stride: 4,
    onEvent: (e) => {
      if (e.type === 'model') events.push(e);
    },
  });
  const read = async (f: string) => JSON.parse(await fs.readFile(join(output, f), 'utf8'));
  return { model: events[0], config: await read('config.json'), forecaster: await read('forecaster.json') };
}

describe('train --pretrained with length adaptation', () => {
  it('pulls the revision chosen for 104/26 weekly, reads the last 90 weeks, forecasts 26 of 30, weekly token', async () => {
    const r = await train(CARD, 'hub');
    expect(hub.log.some((l) => l.url.startsWith(`/${CARD}/resolve/90-30-ft-r2.1/config.json`))).toBe(true);
    expect(r.model).toMatchObject({ source: `${CARD}@90-30-ft-r2.1`, strategy: 'fc1-fc2' });
    expect(r.model.type === 'model' && r.model.note).toBe(`checkpoint 90-30-ft-r2.1 ${SENTENCE_9030}`);
    // The design's decoder is new: channel mixing over 2 channels + 1 categorical, the UF embedding.
    const fresh = r.model.type === 'model' ? r.model.fresh : [];
    expect(fresh).toContain('decoder.decoder_cat_embedding_layer.embedding_layers.0.weight');
    expect(fresh).toContain('decoder.decoder_block.mixers.0.channel_feature_mixer.mlp.fc1.weight');
    expect(fresh.every((k) => k.startsWith('decoder.'))).toBe(true);
    expect(r.config).toMatchObject({
      context_length: 90,
      prediction_length: 30,
      prediction_filter_length: 26,
      resolution_prefix_tuning: true,
      decoder_mode: 'mix_channel',
      num_input_channels: 2,
      prediction_channel_indices: [0, 1],
      categorical_vocab_size_list: [2],
    });
    expect(r.forecaster).toMatchObject({ horizon: 26, freq_token: 9 });
  }, 120_000);

  it('adapts a checkpoint folder the same way', async () => {
    const r = await train(checkpoint, 'dir');
    expect(r.model).toMatchObject({ source: checkpoint, note: `checkpoint 90-30 ${SENTENCE_9030}` });
    expect(r.config).toMatchObject({ context_length: 90, prediction_filter_length: 26 });
    expect(r.forecaster.freq_token).toBe(9);
  }, 120_000);
});
