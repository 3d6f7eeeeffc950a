/**
 * A model trained with covariates: the config as granite-tsfm writes it, a save/load round trip,
 * predict with --future values (and the error without them), and the leakage test: no target
 * value of a forecast week reaches the model, while the forecast weeks' covariates do.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachFutureCovariates, forecastRefs, loadWeekly, preprocessorToJSON, windowBatches, type WeeklyDataset, type WindowRef } from '../../src/data/index.js';
import { backtestWindows } from '../../src/evaluate/index.js';
import { DataError } from '../../src/errors.js';
import { loadModel, saveModel, serializeModelWeights } from '../../src/io/checkpoint.js';
import { makeTtmConfig, parseTtmConfig, toConfigJson, TtmModel } from '../../src/model/index.js';
import { batchInputs, forecastSeries, ForecastPool, loadForecaster, predictSeries, type Forecaster } from '../../src/predict/index.js';
import { trainModel, TRAIN_DEFAULTS } from '../../src/train/index.js';
import { useBackend } from '../helpers/backend.js';

const dir = mkdtempSync(join(tmpdir(), 'ttm-cov-'));
const COLS = ['price', 'base_price', 'feature'];
const H = 4;
const WEEKS = 70;
let f: Forecaster;
let full: WeeklyDataset;

/** 4 produtos x 2 UFs: level x 3 in promo weeks (price cut 25%, feature), a fixed pseudo-random plan. */
function promoCsv(weeks: number, o: { targets?: boolean } = {}): string {
  const lines = [o.targets === false ? 'date,produto_cat,uf_cat,price,base_price,feature' : 'date,produto_cat,uf_cat,vendas,faturamento,price,base_price,feature'];
  for (let p = 1; p <= 4; p++) {
    for (let u = 0; u < 2; u++) {
      for (let t = 0; t < weeks; t++) {
        const promo = (t * 7 + p * 3 + u) % 9 === 0;
        const price = promo ? 3 : 4;
        const v = Math.round((10 * p + 5 * u) * (promo ? 3 : 1) * (1 + 0.2 * Math.sin(t / 3)));
        const date = new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10);
        lines.push(o.targets === false ? `${date},${p},${u},${price},4,${promo ? 1 : 0}` : `${date},${p},${u},${v},${v * price},${price},4,${promo ? 1 : 0}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The options of the test's covariate model (one epoch per stage, results in dir/results). */
const covariateRun = () => ({ ...TRAIN_DEFAULTS, data: join(dir, 'train.csv'), output: join(dir, 'model'), results: join(dir, 'results'), context: 24, horizon: H, epochs: 1, stride: 2, refit: false, covariates: COLS, calendar: 'BR', checkpointEverySteps: 0 });

/** The latest backtest origin's windows (horizon H at the data's end, a season of history). */
const backtestRefs = (ds: WeeklyDataset, h: number): WindowRef[] => backtestWindows(ds, { origins: 1, horizon: h });

beforeAll(async () => {
  await useBackend('wasm');
  const all = promoCsv(WEEKS + H);
  const lines = all.trim().split('\n');
  const cut = new Date(Date.UTC(2023, 0, 2 + 7 * WEEKS)).toISOString().slice(0, 10);
  writeFileSync(join(dir, 'train.csv'), `${[lines[0], ...lines.slice(1).filter((l) => l < cut)].join('\n')}\n`);
  writeFileSync(join(dir, 'full.csv'), all);
  // The forecast weeks' plan, without targets.
  const plan = promoCsv(WEEKS + H, { targets: false }).trim().split('\n');
  writeFileSync(join(dir, 'future.csv'), `${[plan[0], ...plan.slice(1).filter((l) => l >= cut)].join('\n')}\n`);
  await trainModel({ ...covariateRun(), output: join(dir, 'model') });
  f = await loadForecaster(join(dir, 'model'));
  full = await loadWeekly(join(dir, 'full.csv'), { covariates: COLS });
}, 240_000);

afterAll(() => {
  f?.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a model trained with covariates', () => {
  it('writes the exogenous channels and the forecast channel mixer into config.json as granite-tsfm does', () => {
    const raw = JSON.parse(readFileSync(join(dir, 'model', 'config.json'), 'utf8'));
    expect(raw).toMatchObject({
      num_input_channels: 2 + 1 + 2 + 4, // feature, the two derived inputs, the calendar
      prediction_channel_indices: [0, 1],
      exogenous_channel_indices: [2, 3, 4, 5, 6, 7, 8],
      decoder_mode: 'mix_channel',
      enable_forecast_channel_mixing: true,
      fcm_context_length: 1,
      fcm_use_mixer: true,
      fcm_mix_layers: 2,
      fcm_gated_attn: true,
      fcm_prepend_past: false,
      model_type: 'tinytimemixer',
    });
    expect(f.preprocessor.covariates!.names).toEqual(['feature', 'relative_price', 'price_cut', 'week_sin', 'week_cos', 'holidays', 'retail_events']);
    const keys = Object.keys(JSON.parse(readFileSync(join(dir, 'model', 'model.safetensors')).subarray(8, 8 + Number(readFileSync(join(dir, 'model', 'model.safetensors')).readBigUInt64LE(0))).toString()));
    expect(keys).toContain('head.fcm_block.mlp.weight');
    expect(keys).toContain('head.fcm_block.exog_mixer.mixers.1.feature_mixer.mlp.fc2.weight');
  });

  it('round-trips through save and load: weights, config and preprocessor byte for byte', () => {
    expect(Buffer.compare(Buffer.from(serializeModelWeights(f.model)), readFileSync(join(dir, 'model', 'model.safetensors')))).toBe(0);
    expect(`${JSON.stringify(toConfigJson(parseTtmConfig(JSON.parse(readFileSync(join(dir, 'model', 'config.json'), 'utf8')))), null, 2)}\n`).toBe(readFileSync(join(dir, 'model', 'config.json'), 'utf8'));
    expect(preprocessorToJSON(f.preprocessor)).toBe(readFileSync(join(dir, 'model', 'preprocessor.json'), 'utf8'));
  });

  it('predict needs the forecast weeks\' covariates: a clear error without them, forecasts with --future', async () => {
    const history = await loadWeekly(join(dir, 'train.csv'), { covariates: COLS });
    const which = history.series.map((_, i) => i);
    await expect(predictSeries(f, history, which, { levels: [0.9] })).rejects.toThrow(DataError);
    await expect(predictSeries(f, history, which, { levels: [0.9] })).rejects.toThrow(/missing for 8 series:\n {2}produto 1 regiao 0: all 4 weeks 2024-05-06 … 2024-05-27/);
    await attachFutureCovariates(history, join(dir, 'future.csv'));
    const r = await predictSeries(f, history, which, { levels: [0.9] });
    expect(r.predictions).toHaveLength(8);
    expect(r.predictions[0].dates).toEqual(['2024-05-06', '2024-05-13', '2024-05-20', '2024-05-27']);
    for (const p of r.predictions) for (const v of p.values.vendas) expect(Number.isFinite(v)).toBe(true);
  });

  it('forecasts the same with a pool of 2 threads as with none: the workers get the future covariates too', async () => {
    const history = await loadWeekly(join(dir, 'train.csv'), { covariates: COLS });
    await attachFutureCovariates(history, join(dir, 'future.csv'));
    const which = history.series.map((_, i) => i);
    const o = { levels: [0.9], batchSize: 2 }; // 4 batches to share
    const one = await predictSeries(f, history, which, o);
    const pool = await ForecastPool.start(f.model, 2);
    try {
      const two = await predictSeries(f, history, which, { ...o, pool });
      expect(two.predictions).toHaveLength(8);
      two.predictions.forEach((p, i) => {
        expect(p.values, `series ${i}`).toEqual(one.predictions[i].values);
        expect(p.intervals, `series ${i}`).toEqual(one.predictions[i].intervals);
      });
      // The model's own forecasts (before the blend, which may weigh the model at 0 after one
      // epoch) through the pool and without it; and with another promotion plan, through the
      // pool: a worker that ignored the future covariates would not see the difference.
      const raw = await forecastSeries(f, history, forecastRefs(history), 2);
      const rawPool = await forecastSeries(f, history, forecastRefs(history), 2, pool);
      expect(rawPool.modelValues).toEqual(raw.modelValues);
      const shifted = await loadWeekly(join(dir, 'train.csv'), { covariates: COLS });
      const plan = readFileSync(join(dir, 'future.csv'), 'utf8').replace(/,4,1$/gm, ',4,0').replace(/,3,4,/g, ',4,4,');
      writeFileSync(join(dir, 'future-flat.csv'), plan);
      await attachFutureCovariates(shifted, join(dir, 'future-flat.csv'));
      const flat = await forecastSeries(f, shifted, forecastRefs(shifted), 2, pool);
      expect(flat.modelValues).not.toEqual(raw.modelValues);
    } finally {
      await pool.close();
    }
  }, 120_000);
});

describe('covariates from fresh weights: two stages by default', () => {
  it('trains the targets alone first (no exogenous channel, no refit), then fine-tunes decoder, head and channel mixer from it with the backbone kept', async () => {
    const stage1 = JSON.parse(readFileSync(join(dir, 'results', 'stage1', 'model', 'config.json'), 'utf8'));
    expect(stage1.num_input_channels).toBe(2);
    expect(stage1.enable_forecast_channel_mixing ?? false).toBe(false);
    const args1 = JSON.parse(readFileSync(join(dir, 'results', 'stage1', 'model', 'training_args.json'), 'utf8'));
    expect(args1).toMatchObject({ covariates: [], calendar: null, refit: false, trainable: 'all' });
    const args2 = JSON.parse(readFileSync(join(dir, 'model', 'training_args.json'), 'utf8'));
    expect(args2).toMatchObject({ trainable: 'decoder-head', pretrained: join(dir, 'results', 'stage1', 'model') });
    // stage 1's validation figures travel with the final model, for the comparison users want
    const metrics = JSON.parse(readFileSync(join(dir, 'model', 'metrics.json'), 'utf8'));
    expect(Object.keys(metrics.without_covariates.validation)).toEqual(['vendas', 'faturamento']);
    expect(metrics.without_covariates.validation.vendas.wape).toBeGreaterThan(0);
    const a = await loadModel(join(dir, 'results', 'stage1', 'model'));
    const b = await loadModel(join(dir, 'model'));
    const weights = (m: TtmModel) => new Map(m.namedVariables().map(([k, v]) => [k, Array.from(v.dataSync())]));
    const w1 = weights(a.model);
    const w2 = weights(b.model);
    const backbone = [...w1.keys()].filter((k) => k.startsWith('backbone'));
    expect(backbone.length).toBeGreaterThan(0);
    for (const k of backbone) expect(w2.get(k), k).toEqual(w1.get(k));
    // the head's forecast layer trained on in stage 2: it moved from stage 1's
    const head = [...w1.keys()].find((k) => k.includes('base_forecast') || k.includes('baseForecast'))!;
    expect(head).toBeDefined();
    expect(w2.get(head)).not.toEqual(w1.get(head));
    a.model.dispose();
    b.model.dispose();
  });

  it('--resume after a finished stage 1 reuses it instead of training it again', async () => {
    const events: { type: string; stage?: number; reused?: boolean }[] = [];
    await trainModel({ ...covariateRun(), output: join(dir, 'model-resumed'), resume: true, onEvent: (e) => events.push(e as never) });
    expect(events.filter((e) => e.type === 'stage').map((e) => [e.stage, e.reused ?? false])).toEqual([[1, true], [2, false]]);
    expect(events.filter((e) => e.type === 'model')).toHaveLength(1);
    // the same results folder with other data: stage 1 is not reused, and resuming its
    // checkpoints is refused as for any run of other data
    writeFileSync(join(dir, 'train-copy.csv'), readFileSync(join(dir, 'train.csv')));
    const other: typeof events = [];
    await expect(trainModel({ ...covariateRun(), data: join(dir, 'train-copy.csv'), output: join(dir, 'model-other'), resume: true, onEvent: (e) => other.push(e as never) })).rejects.toThrow(/other data or options/);
    expect(other.filter((e) => e.type === 'stage').map((e) => [e.stage, e.reused ?? false])).toEqual([[1, false]]);
  }, 120_000);
});

describe('fine-tuning a pretrained checkpoint with covariates', () => {
  it('adds the exogenous channels and the channel mixer as granite-tsfm\'s recipe does: backbone frozen, decoder and head train', async () => {
    // A one-channel common_channel checkpoint, the shape of a released Granite model.
    const ckpt = join(dir, 'ckpt');
    const base = TtmModel.create(makeTtmConfig({ context_length: 24, prediction_length: H, patch_length: 4, patch_stride: 4, d_model: 8, decoder_d_model: 8, num_layers: 1, decoder_num_layers: 1, num_input_channels: 1 }), 3);
    await saveModel(base, ckpt);
    base.dispose();
    const events: unknown[] = [];
    await trainModel({
      ...TRAIN_DEFAULTS,
      data: join(dir, 'train.csv'),
      output: join(dir, 'ft'),
      results: join(dir, 'ft-results'),
      pretrained: ckpt,
      context: 24,
      horizon: H,
      epochs: 1,
      stride: 4,
      refit: false,
      covariates: COLS,
      calendar: null,
      checkpointEverySteps: 0,
      onEvent: (e) => events.push(e),
    });
    const model = events.find((e) => (e as { type: string }).type === 'model') as { strategy: string; fresh: string[] };
    expect(model.strategy).toBe('decoder-head');
    expect(model.fresh).toContain('head.fcm_block.mlp.weight');
    const cfg = JSON.parse(readFileSync(join(dir, 'ft', 'config.json'), 'utf8'));
    expect(cfg).toMatchObject({ num_input_channels: 5, prediction_channel_indices: [0, 1], exogenous_channel_indices: [2, 3, 4], enable_forecast_channel_mixing: true, decoder_mode: 'mix_channel', fcm_use_mixer: true });
    const before = await loadModel(ckpt);
    const after = await loadModel(join(dir, 'ft'));
    const weights = (m: TtmModel) => new Map(m.namedVariables().map(([k, v]) => [k, Array.from(v.dataSync())]));
    const w0 = weights(before.model);
    const w1 = weights(after.model);
    const backbone = [...w0.keys()].filter((k) => k.startsWith('backbone'));
    expect(backbone.length).toBeGreaterThan(0);
    for (const k of backbone) expect(w1.get(k), k).toEqual(w0.get(k));
    before.model.dispose();
    after.model.dispose();
  }, 120_000);
});

describe('leakage: no target value of a forecast week reaches the model', () => {
  /** A copy of the dataset whose horizon weeks (from `origin`) hold other targets or other covariates. */
  function altered(ds: WeeklyDataset, origin: number, what: 'targets' | 'feature'): WeeklyDataset {
    return {
      ...ds,
      series: ds.series.map((s) => {
        const at = origin - s.start;
        const values = s.values.map((v) => v.map((x, t) => (t >= at ? x * 1000 + 7 : x)));
        const covariates = s.covariates!.map((v, k) => (k === 2 ? v.map((x, t) => (t >= at ? 1 - x : x)) : v));
        return what === 'targets' ? { ...s, values } : { ...s, covariates };
      }),
    };
  }

  it('forecasts of backtest windows are identical whatever the horizon targets are, and move with the horizon covariates', async () => {
    const refs = backtestRefs(full, H);
    const origin = refs[0].origin;
    const base = await forecastSeries(f, full, refs);
    const otherTargets = await forecastSeries(f, altered(full, origin, 'targets'), refs);
    expect(otherTargets.modelValues).toEqual(base.modelValues);
    expect(otherTargets.values).toEqual(base.values);
    const otherPlan = await forecastSeries(f, altered(full, origin, 'feature'), refs);
    const moved = otherPlan.modelValues.some((v, i) => v.some((x, k) => Math.abs(x - base.modelValues[i][k]) > 1e-6));
    expect(moved).toBe(true);
  });

  it('the model itself ignores the target channels of future_values (the mixer reads only exogenous ones)', () => {
    const refs = backtestRefs(full, H);
    const [b] = [...windowBatches(full, refs, { context: 24, horizon: H, preprocessor: f.preprocessor })];
    const inputs = batchInputs(b, { withFuture: true, withCategorical: true });
    const noise = tf.randomNormal(inputs.futureValues!.shape, 0, 1000, 'float32', 7);
    const mask = tf.tensor3d(Array.from({ length: b.channels }, (_, c) => (c < 2 ? 1 : 0)), [1, 1, b.channels]);
    const scrambled = tf.add(inputs.futureValues!, tf.mul(noise, mask)) as tf.Tensor3D;
    const a = f.model.forward(inputs).predictionOutputs.arraySync();
    const c = f.model.forward({ ...inputs, futureValues: scrambled }).predictionOutputs.arraySync();
    expect(c).toEqual(a);
    tf.dispose([noise, mask, scrambled, ...Object.values(inputs)]);
  });
});
