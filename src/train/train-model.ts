/**
 * `ttm train` as a library call: data → splits → preprocessor → model → fit → calibration →
 * final_ttm_model/ (written atomically, and only when training succeeded).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  cutDataset,
  cutWeek,
  fitPreprocessor,
  readObservations,
  preprocessorToJSON,
  splitByTime,
  windowRefs,
  type MissingPolicy,
  type CsvDialectRequest,
  type DataSource,
  type Scaling,
  type WeeklyDataset,
  type WindowRef,
} from '../data/index.js';
import { DESIGN_CONFIG } from '../config/design-config.js';
import { ConfigError, DataError, TrainingError } from '../errors.js';
import { coverage, trainingStats, wape } from '../evaluate/index.js';
import { modelCard } from './model-card.js';
import { writeDirAtomic, writeFileAtomic } from '../io/atomic-write.js';
import { serializeModelWeights } from '../io/checkpoint.js';
import { loadPretrained } from '../hub/load-pretrained.js';
import { needsStages, trainInStages } from './covariate-stages.js';
import type { PullEvent } from '../hub/index.js';
import { pytorchKey } from '../io/weight-map.js';
import { toJsonText } from '../config/snake-case.js';
import { SCHEMA_VERSION } from '../config/schema-version.js';
import { isTrainable, makeTtmConfig, summarise, toConfigJson, TtmModel, type LossName, type Strategy, type TtmConfig } from '../model/index.js';
import {
  applyBlend,
  calibrateConformal,
  calibrationToJSON,
  conformalInterval,
  CONFORMAL_METHOD,
  forecasterFileJson,
  forecastWindows,
  historyBefore,
  robustLevel,
  type Blend,
  type CalibrationWindow,
  type ValueTransform,
} from '../predict/index.js';
import { fit, type FitEvent, type FitOptions, type FitResult } from './fit.js';
import { appendMetrics, metricsLogPath, readMetrics, truncateMetricsAfter } from './metrics-log.js';
import { TfEventsWriter } from './tfevents.js';
import { trainingCurveSvg, type CurvePoint } from './curve-svg.js';

export interface TrainOptions extends Pick<FitOptions, 'epochs' | 'batchSize' | 'lr' | 'weightDecay' | 'patience' | 'seed' | 'threads'> {
  /** a CSV path, or a DataSource (CSV or PostgreSQL); files and events name it without password */
  data: string | DataSource;
  /** the data already loaded (read from `data` otherwise); a backtest passes each cutoff's cut */
  dataset?: WeeklyDataset;
  /** how `data` is written (delimiter, decimal mark, column names); detected when absent */
  csv?: CsvDialectRequest;
  /** hold the last N weeks out of training (they stay for `ttm evaluate`) */
  holdout?: number;
  /** train on weeks starting on or before this day number only */
  until?: number;
  output: string;
  results: string;
  pretrained?: string;
  trainable?: Strategy;
  context: number;
  horizon: number;
  loss: LossName;
  scaling: Scaling;
  /** value transform before the model: log1p makes an MAE-trained model forecast medians robustly */
  transform: ValueTransform;
  missing: MissingPolicy;
  /** context weeks that must be real data; the rest is left padding (mask 0) */
  minContext: number;
  /** weeks between training origins of a series */
  stride: number;
  /** at most this many training windows per epoch (a fresh sample each epoch) */
  windowsPerEpoch: number;
  dropout: number;
  /** weeks in the robust level blended with the model (0: no blend) */
  blendWindow: number;
  /** future-known covariate columns of the CSV, fed as exogenous channels (docs/training.md) */
  covariates: string[];
  /** country of the calendar channels (week of year, holidays, retail dates), or null for none */
  calendar: string | null;
  /**
   * After choosing the epoch count on the validation weeks, train again from the same start on
   * every week (validation weeks included) for that many epochs: the final model then knows the
   * most recent weeks. Blend and intervals stay those measured on held-out validation weeks.
   */
  refit: boolean;
  /**
   * With covariates and fresh weights: `two-stage` (default) trains the targets alone first, then
   * fine-tunes decoder, head and forecast channel mixer from that model with the covariates
   * (granite-tsfm's exogenous recipe, src/train/covariate-stages.ts); `joint` trains everything
   * at once from fresh weights.
   */
  covariateTraining?: 'two-stage' | 'joint';
  /** figures merged into metrics.json (the two-stage run puts stage 1's validation there) */
  extraMetrics?: Record<string, unknown>;
  resume: boolean;
  /** also checkpoint every N steps inside an epoch */
  checkpointEverySteps: number;
  onEvent?: (e: FitEvent | TrainInfoEvent) => void;
  shouldStop?: () => boolean;
}

export type TrainInfoEvent =
  | { type: 'stage'; stage: 1 | 2; of: 2; what: string; reused?: boolean }
  | { type: 'replaced'; previous: string; previousWape: number; newWape: number; worse: boolean }
  | { type: 'refit'; epochs: number; trainWindows: number }
  | { type: 'pull'; event: PullEvent }
  | { type: 'data'; file: string; series: number; weeks: number; trainThrough: string; validationFrom: string; heldOutWeeks: number }
  | { type: 'model'; source: string; trainable: number; total: number; strategy: Strategy; fresh: string[]; frozenFresh?: string[]; note?: string };

export const TRAIN_DEFAULTS = {
  output: 'final_ttm_model',
  results: 'results_ttm_model',
  context: 104,
  horizon: 26,
  epochs: 100,
  batchSize: 64,
  lr: 5e-4,
  weightDecay: 0.01,
  patience: 15,
  seed: 42,
  loss: 'mae' as LossName,
  scaling: 'none' as Scaling,
  transform: 'none' as ValueTransform,
  missing: 'zero' as MissingPolicy,
  minContext: 13,
  stride: 1,
  windowsPerEpoch: 8192,
  dropout: 0.2,
  blendWindow: 13,
  covariates: [] as string[],
  calendar: null as string | null,
  refit: true,
  resume: false,
  checkpointEverySteps: 200,
} satisfies Partial<TrainOptions>;

export interface TrainResult {
  output: string;
  fit: FitResult;
  metrics: Record<string, unknown>;
}

const weekDate = (ds: WeeklyDataset, week: number) => new Date((ds.firstWeek + 7 * week) * 86_400_000).toISOString().slice(0, 10);

/** Trains and writes the final model: in two stages when covariates need them (covariate-stages.ts). */
export async function trainModel(o: TrainOptions): Promise<TrainResult> {
  // read once: both stages of a covariate run train on the same observations
  const dataset = o.dataset ?? (await readObservations(o.data, { missing: o.missing, csv: o.csv, covariates: o.covariates }));
  const withData = { ...o, dataset };
  return needsStages(o) ? trainInStages(withData, trainOnce) : trainOnce(withData);
}

async function trainOnce(o: TrainOptions & { dataset: WeeklyDataset }): Promise<TrainResult> {
  const t0 = performance.now();
  const full = o.dataset;
  const data = full.file;
  const ds = cutDataset(full, cutWeek(full, o));
  const H = o.horizon;
  const split = splitByTime(ds, { validationWeeks: H, testWeeks: 0 });
  o.onEvent?.({ type: 'data', file: data, series: ds.series.length, weeks: ds.weeks, trainThrough: weekDate(ds, split.trainThrough), validationFrom: weekDate(ds, split.trainThrough + 1), heldOutWeeks: full.weeks - ds.weeks });
  if (o.transform === 'log1p' && o.scaling !== 'none') {
    throw new ConfigError('transform log1p needs scaling none: the transform is meant for raw, non-negative values', { param: 'scaling' });
  }
  const preprocessor = fitPreprocessor(ds, { scaling: o.scaling, trainThrough: split.trainThrough, covariates: { columns: o.covariates, calendar: o.calendar } });
  const exogenous = preprocessor.covariates?.names.length ?? 0;
  const { model, source, fresh, frozenFresh, strategy, note, freqToken } = await buildModel(o, ds, exogenous);
  let refitted: TtmModel | undefined;
  try {
    const L = model.config.context_length;
    const minContext = Math.min(o.minContext, L);
    const { trainRefs, validationRefs } = planWindows(ds, split, { context: L, horizon: H, minContext, stride: o.stride });
    if (validationRefs.length === 0) {
      throw new DataError(`${data}: no series has ${H} validation weeks after ${minContext} weeks of history`, { hint: 'forecast fewer weeks or provide longer histories', param: 'horizon' });
    }
    const counts = countParams(model, strategy);
    o.onEvent?.({ type: 'model', source, strategy, fresh, ...(frozenFresh?.length ? { frozenFresh } : {}), note, ...counts });
    const logs = join(o.results, 'logs');
    const events = await TfEventsWriter.open(logs);
    const curve: CurvePoint[] = [];
    // Log writes run one after another: a truncation must not overtake an append.
    let logChain: Promise<unknown> = Promise.resolve();
    const log = (write: () => Promise<unknown>) => (logChain = logChain.then(write).catch(() => undefined));
    const fitData = { ds, preprocessor, trainRefs, validationRefs, freqToken, transform: o.transform };
    const fingerprint = JSON.stringify({ data, rows: ds.rows, weeks: ds.weeks, L, H, seed: o.seed, bs: o.batchSize, lr: o.lr, epochs: o.epochs, strategy, loss: o.loss, scaling: o.scaling, transform: o.transform, minContext, stride: o.stride, windowsPerEpoch: o.windowsPerEpoch, ...(exogenous > 0 ? { exogenous: preprocessor.covariates?.names } : {}) });
    const fitOptions: Omit<FitOptions, 'onEvent'> = {
      epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, weightDecay: o.weightDecay, patience: o.patience, seed: o.seed,
      isTrainable: (path) => isTrainable(strategy, pytorchKey(path)), loss: o.loss,
      resultsDir: o.results, resume: o.resume, windowsPerEpoch: o.windowsPerEpoch, checkpointEverySteps: o.checkpointEverySteps,
      fingerprint,
      shouldStop: o.shouldStop,
      threads: o.threads,
    };
    const result = await fit(model, fitData, {
      ...fitOptions,
      onEvent: (e) => {
        o.onEvent?.(e);
        if (e.type === 'start') log(() => truncateMetricsAfter(metricsLogPath(o.results), e.completedEpochs));
        if (e.type === 'epoch') {
          curve.push({ epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, lr: e.lr });
          log(() => appendMetrics(metricsLogPath(o.results), { step: e.epoch, ...e }));
          log(() => events.addScalars(e.epoch, { loss: e.loss, val_loss: e.valLoss, lr: e.lr }));
        }
      },
    }).finally(async () => {
      await logChain;
      await events.close();
    });
    const history = await readMetrics(metricsLogPath(o.results));
    await writeFileAtomic(join(logs, 'training-curve.svg'), trainingCurveSvg(history.length ? history.map((r) => ({ epoch: Number(r.epoch), loss: Number(r.loss), valLoss: Number(r.val_loss ?? r.valLoss), lr: Number(r.lr) })) : curve, { title: 'ttm train' }));
    const validation = await validationForecasts(model, ds, validationRefs, preprocessor, o.blendWindow, freqToken, o.transform);
    const blend = chooseBlend(validation, o.blendWindow, ds.channels.length);
    const calibration = ds.channels.map((_, c) => calibrationToJSON(calibrateConformal(windowsOf(validation, c, blend))));
    const intervalCoverage = Object.fromEntries(ds.channels.map((ch, c) => [ch, calibrationCoverage(windowsOf(validation, c, blend), calibration[c], 0.9)]));
    const stats = ds.channels.map((_, c) => trainingStats(trainingValues(ds, c, split.trainThrough)));
    if (o.refit && result.stopReason !== 'interrupted') {
      const all = planWindows(ds, { trainThrough: split.validationThrough, validationThrough: split.validationThrough }, { context: L, horizon: H, minContext, stride: o.stride });
      o.onEvent?.({ type: 'refit', epochs: result.bestEpoch, trainWindows: all.trainRefs.length });
      refitted = (await buildModel(o, ds, exogenous)).model;
      const r = await fit(refitted, { ...fitData, trainRefs: all.trainRefs }, {
        ...fitOptions,
        patience: o.epochs + 1,
        stopAfterEpochs: result.bestEpoch,
        restoreBest: false,
        resultsDir: join(o.results, 'refit'),
        fingerprint: `${fingerprint} refit ${result.bestEpoch}`,
        onEvent: (e) => o.onEvent?.(e),
      });
      if (r.stopReason === 'interrupted') throw new TrainingError('interrupted during the refit; resume the run to finish it', { param: 'resume' });
    }
    const finalModel = refitted ?? model;
    const metrics = {
      validation: validationMetrics(validation, blend, ds.channels),
      best_epoch: result.bestEpoch,
      best_val_loss: result.bestValLoss,
      epochs_run: result.history.length,
      stop_reason: result.stopReason,
      trainable_parameters: counts.trainable,
      total_parameters: counts.total,
      strategy,
      train_windows: trainRefs.length,
      validation_windows: validationRefs.length,
      refit_epochs: o.refit ? result.bestEpoch : null,
      seconds: (performance.now() - t0) / 1000,
      ...o.extraMetrics,
    };
    const previous = await previousModel(o.output, data);
    await keepPrevious(o.output);
    await writeDirAtomic(o.output, async (dir) => {
      await fs.writeFile(join(dir, 'config.json'), `${JSON.stringify(toConfigJson(finalModel.config), null, 2)}\n`);
      await fs.writeFile(join(dir, 'model.safetensors'), serializeModelWeights(finalModel));
      await fs.writeFile(join(dir, 'preprocessor.json'), preprocessorToJSON(preprocessor));
      const meta = { format: 'ttm-forecaster' as const, version: 1 as const, channels: [...ds.channels], horizon: H, blend, calibration, training_stats: stats, trained_through: weekDate(ds, split.validationThrough), ...(freqToken === undefined ? {} : { freq_token: freqToken }), transform: o.transform };
      await fs.writeFile(join(dir, 'forecaster.json'), forecasterFileJson(meta));
      const { onEvent: _e, shouldStop: _s, dataset: _d, extraMetrics: _m, ...args } = o;
      await fs.writeFile(join(dir, 'training_args.json'), `${toJsonText({ schema_version: SCHEMA_VERSION, ...args, data, trainable: strategy, source }, 2)}\n`);
      await fs.writeFile(join(dir, 'metrics.json'), `${toJsonText({ schema_version: SCHEMA_VERSION, ...metrics }, 2)}\n`);
      await fs.writeFile(
        join(dir, 'README.md'),
        modelCard({
          data,
          series: ds.series.length,
          first_week: weekDate(ds, 0),
          last_week: weekDate(ds, ds.weeks - 1),
          held_out_weeks: full.weeks - ds.weeks,
          validation_from: weekDate(ds, split.trainThrough + 1),
          context: L,
          horizon: H,
          source,
          pretrained: o.pretrained,
          strategy,
          epochs_run: result.history.length,
          best_epoch: result.bestEpoch,
          refit: o.refit && refitted !== undefined,
          validation: metrics.validation,
          blend_window: blend.window,
          interval: { level: 0.9, method: CONFORMAL_METHOD, coverage: intervalCoverage, windows: validationRefs.length },
        }),
      );
    });
    const newWape = meanWape(metrics.validation);
    if (previous) o.onEvent?.({ type: 'replaced', previous: `${o.output}.previous`, previousWape: previous, newWape, worse: newWape > previous });
    return { output: o.output, fit: result, metrics };
  } finally {
    model.dispose();
    refitted?.dispose();
  }
}

/**
 * Training and validation windows without leakage: every training target week is <= trainThrough
 * and every validation target week is > trainThrough. Training windows may start before a series'
 * first week (left padding, mask 0) as long as `minContext` weeks of context are real: real
 * histories are short, and 130 weeks hold only one full 104 + 26 window.
 */
export function planWindows(
  ds: WeeklyDataset,
  split: { trainThrough: number; validationThrough: number },
  o: { context: number; horizon: number; minContext: number; stride: number },
): { trainRefs: WindowRef[]; validationRefs: WindowRef[] } {
  const shape = { context: o.context, horizon: o.horizon, minContextObserved: o.minContext };
  return {
    trainRefs: windowRefs(ds, { ...shape, stride: o.stride, targetsThrough: split.trainThrough }),
    validationRefs: windowRefs(ds, { ...shape, stride: o.horizon, targetsAfter: split.trainThrough, targetsThrough: split.validationThrough }),
  };
}

/** Mean validation WAPE over channels of a metrics.json `validation` object. */
function meanWape(validation: Record<string, { wape: number }>): number {
  const v = Object.values(validation).map((m) => m.wape);
  return v.reduce((a, b) => a + b, 0) / Math.max(v.length, 1);
}

/** Validation WAPE of the model already in `output`, when it was trained on the same data file. */
async function previousModel(output: string, data: string): Promise<number | undefined> {
  try {
    const args = JSON.parse(await fs.readFile(join(output, 'training_args.json'), 'utf8'));
    if (args.data !== data) return undefined;
    const m = JSON.parse(await fs.readFile(join(output, 'metrics.json'), 'utf8'));
    return meanWape(m.validation);
  } catch {
    return undefined;
  }
}

/** A replaced final model is never lost: it moves to `<output>.previous` (one generation). */
async function keepPrevious(output: string): Promise<void> {
  try {
    await fs.access(join(output, 'model.safetensors'));
  } catch {
    return;
  }
  await fs.rm(`${output}.previous`, { recursive: true, force: true });
  await fs.cp(output, `${output}.previous`, { recursive: true });
}

/**
 * Config fields for E exogenous channels after the targets, as granite-tsfm's exogenous
 * fine-tuning recipe sets them: a mix_channel decoder (the history of every channel mixes) and
 * the forecast channel mixer with the exogenous channels' future, ±1 week around each step,
 * through its own two-layer mixer. The mixer's window also takes the last context week of raw
 * inputs (`fcm_prepend_past`); this tool turns that off when the targets reach the model
 * unstandardised (`--scaling none`, the default), since the reference mixes those raw values
 * with normalised forecasts.
 */
export function exogenousConfig(targets: number, E: number, scaling: Scaling): Record<string, unknown> {
  if (E === 0) return { num_input_channels: targets, prediction_channel_indices: [...Array(targets).keys()], exogenous_channel_indices: null, enable_forecast_channel_mixing: false };
  return {
    num_input_channels: targets + E,
    prediction_channel_indices: [...Array(targets).keys()],
    exogenous_channel_indices: Array.from({ length: E }, (_, e) => targets + e),
    decoder_mode: 'mix_channel',
    enable_forecast_channel_mixing: true,
    fcm_context_length: 1,
    fcm_use_mixer: true,
    fcm_mix_layers: 2,
    fcm_gated_attn: true,
    fcm_prepend_past: scaling === 'standard',
  };
}

async function buildModel(o: TrainOptions, ds: WeeklyDataset, exogenous = 0) {
  const vocab = new Set(ds.series.map((s) => s.regiao)).size;
  const exog = exogenousConfig(ds.channels.length, exogenous, o.scaling);
  if (!o.pretrained) {
    const config = makeTtmConfig({
      ...DESIGN_CONFIG,
      context_length: o.context,
      prediction_length: o.horizon,
      categorical_vocab_size_list: [vocab],
      prediction_channel_indices: [...DESIGN_CONFIG.prediction_channel_indices],
      dropout: o.dropout,
      head_dropout: o.dropout,
      loss: o.loss,
      ...exog,
    });
    const strategy = o.trainable ?? 'all';
    const note = o.trainable && o.trainable !== 'all' ? `training ${o.trainable} of freshly initialised weights: the frozen part stays random` : 'fresh weights: every parameter trains';
    return { model: TtmModel.create(config, o.seed), source: "the design's configuration, fresh weights", fresh: [] as string[], strategy, note, freqToken: undefined };
  }
  // A folder or a Hub repo id (pulled at the revision chosen for 104/26 weekly), its lengths
  // adapted to the data: it reads its own context_length, forecasts o.horizon of its
  // prediction_length, and gets the weekly frequency token when it has prefix tuning. The
  // design's decoder (mix_channel, UF categorical, all channels) replaces the checkpoint's;
  // what the checkpoint lacks is initialised fresh and listed.
  const C = ds.channels.length;
  const overrides: Record<string, unknown> = {
    dropout: o.dropout,
    head_dropout: o.dropout,
    loss: o.loss,
    decoder_mode: 'mix_channel',
    categorical_vocab_size_list: [vocab],
    num_input_channels: C,
    prediction_channel_indices: [...Array(C).keys()],
    exogenous_channel_indices: null,
    ...exog,
  };
  const needs = { context: o.context, horizon: o.horizon, freq: 'W' };
  const loaded = await loadPretrained(o.pretrained, needs, {
    overrides,
    allowMismatch: true,
    seed: o.seed,
    shortContext: 'pad',
    resolve: { onEvent: (event) => o.onEvent?.({ type: 'pull', event }) },
  });
  const { adaptation } = loaded;
  // With covariates, granite-tsfm's recipe: backbone frozen, decoder and head (the new channel
  // mixer included) train.
  const strategy = o.trainable ?? ((exogenous > 0 ? 'decoder-head' : 'fc1-fc2') as Strategy);
  // Fresh parameters the strategy freezes stay random: say so, it is rarely what one wants.
  const frozenFresh = loaded.fresh.filter((key) => !isTrainable(strategy, key));
  return { model: loaded.model, source: loaded.source, fresh: loaded.fresh, frozenFresh, strategy, note: adaptation.sentence, freqToken: adaptation.freqToken ?? undefined };
}

/** Trainable and total parameter counts, as `ttm info` reports them. */
function countParams(model: TtmModel, strategy: Strategy) {
  const { total, trainable } = summarise(model, pytorchKey);
  return { trainable: trainable[strategy].count, total };
}

interface ValidationSet {
  refs: WindowRef[];
  /** per window [H, C] model forecast, original units */
  forecast: Float64Array[];
  /** per window [H, C] actuals */
  actual: Float64Array[];
  /** per window per channel: history before the origin */
  history: Float64Array[][];
  /** per window per channel: the robust level the blend mixes in (computed once) */
  levels: number[][];
}

async function validationForecasts(
  model: TtmModel,
  ds: WeeklyDataset,
  refs: WindowRef[],
  preprocessor: ReturnType<typeof fitPreprocessor>,
  blendWindow: number,
  freqToken?: number,
  transform?: ValueTransform,
): Promise<ValidationSet> {
  const f = await forecastWindows(model, ds, refs, { preprocessor, freqToken, transform });
  const C = ds.channels.length;
  const H = f.horizon;
  const actual: Float64Array[] = [];
  const history: Float64Array[][] = [];
  const levels: number[][] = [];
  for (const r of refs) {
    const s = ds.series[r.series];
    const at = r.origin - s.start;
    const a = new Float64Array(H * C);
    for (let h = 0; h < H; h++) for (let c = 0; c < C; c++) a[h * C + c] = s.values[c][at + h];
    actual.push(a);
    const before = historyBefore(ds, r);
    history.push(before.values);
    levels.push(before.values.map((x) => robustLevel(x, before.observed, blendWindow)));
  }
  return { refs, forecast: f.values, actual, history, levels };
}

function blended(v: ValidationSet, i: number, blend: Blend): Float64Array {
  return applyBlend(v.forecast[i], v.levels[i], blend);
}

/** Per channel, the model weight in 0, 0.1, …, 1 with the lowest validation WAPE. */
function chooseBlend(v: ValidationSet, window: number, C: number): Blend {
  if (window <= 0) return { window: 0, modelWeight: Array(C).fill(1) };
  const modelWeight: number[] = [];
  for (let c = 0; c < C; c++) {
    let bestW = 1;
    let bestErr = Infinity;
    for (let k = 0; k <= 10; k++) {
      const w = k / 10;
      const trial: Blend = { window, modelWeight: Array.from({ length: C }, (_, j) => (j === c ? w : 1)) };
      const err = channelWape(v, c, trial);
      if (err < bestErr - 1e-12) {
        bestErr = err;
        bestW = w;
      }
    }
    modelWeight.push(bestW);
  }
  return { window, modelWeight };
}

function channelWape(v: ValidationSet, c: number, blend: Blend): number {
  const a: number[] = [];
  const f: number[] = [];
  v.refs.forEach((_, i) => {
    const b = blended(v, i, blend);
    const C = v.history[i].length;
    for (let h = c; h < b.length; h += C) {
      a.push(v.actual[i][h]);
      f.push(b[h]);
    }
  });
  return wape(a, f);
}

function windowsOf(v: ValidationSet, c: number, blend: Blend): CalibrationWindow[] {
  return v.refs.map((_, i) => {
    const b = blended(v, i, blend);
    const C = v.history[i].length;
    const pick = (x: Float64Array) => Float64Array.from({ length: x.length / C }, (_, h) => x[h * C + c]);
    return { history: v.history[i][c], actual: pick(v.actual[i]), forecast: pick(b) };
  });
}

function validationMetrics(v: ValidationSet, blend: Blend, channels: readonly string[]) {
  const modelOnly: Blend = { window: blend.window, modelWeight: channels.map(() => 1) };
  return Object.fromEntries(
    channels.map((name, c) => [name, { wape: channelWape(v, c, blend), wape_model_only: channelWape(v, c, modelOnly), model_weight: blend.modelWeight[c] }]),
  );
}

/** Share of the windows' weeks inside the calibrated interval at `level` (in-sample for the calibration). */
function calibrationCoverage(windows: CalibrationWindow[], cal: ReturnType<typeof calibrationToJSON>, level: number): number {
  const a: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (const w of windows) {
    const iv = conformalInterval(cal, w.forecast, w.history, level);
    a.push(...Array.from(w.actual));
    lo.push(...iv.lower);
    hi.push(...iv.upper);
  }
  return coverage(a, lo, hi);
}

/** Observed values of channel c in training weeks, for drift statistics. */
function trainingValues(ds: WeeklyDataset, c: number, through: number): Float64Array {
  const out: number[] = [];
  for (const s of ds.series) {
    const last = Math.min(s.length - 1, through - s.start);
    for (let t = 0; t <= last; t++) if (s.observed[t]) out.push(s.values[c][t]);
  }
  if (out.length === 0) throw new DataError('no observed training weeks');
  return Float64Array.from(out);
}

