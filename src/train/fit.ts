/**
 * The training loop, nanoGPT-style: learning rate → step → report → validate → early stop →
 * checkpoint. Deterministic for a seed (the shuffle of epoch e and every dropout mask derive
 * from the seed), and resumable from any checkpoint with the same final weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { windowBatches, type Preprocessor, type WeeklyDataset, type WindowRef } from '../data/index.js';
import { TrainingError, CheckpointError, UsageError } from '../errors.js';
import { loadStateDict, serializeModelWeights, stateDict } from '../io/checkpoint.js';
import { parseSafetensors, serializeSafetensors, type TensorToWrite } from '../io/safetensors.js';
import { disposeInputs, indexVocab, outputHorizon, type LossName, type TtmModel } from '../model/index.js';
import { batchInputs, type ValueTransform } from '../predict/index.js';
import { enableGradients } from '../runtime/gradients.js';
import { Rng } from '../runtime/rng.js';
import { AdamW, adamwStateFromBytes, adamwStateToBytes } from './adamw.js';
import { latestCheckpoint, pruneCheckpoints, readCheckpointFile, readCheckpointJson, writeCheckpoint } from './checkpoint-store.js';
import { earlyStopping, initEarlyStopping } from './early-stopping.js';
import { parseTrainerState, trainerStateJson, type EpochRecord, type LoopState } from './trainer-state.js';
import { oneCycle, oneCycleSchedule } from './one-cycle.js';
import { prepareForTraining, trainableVariables, trainStep } from './train-step.js';
import { dropoutSeed } from './dropout-seed.js';
import { parallelObstacle, ParallelStepper } from './parallel-step.js';

export type { EpochRecord };

export interface FitData {
  ds: WeeklyDataset;
  preprocessor: Preprocessor;
  trainRefs: WindowRef[];
  validationRefs: WindowRef[];
  freqToken?: number;
  transform?: ValueTransform;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  patience: number;
  seed: number;
  /** Variables that train (tree paths). */
  isTrainable: (path: string) => boolean;
  loss?: LossName;
  /** Train on at most this many windows per epoch (a fresh seeded sample each epoch). */
  windowsPerEpoch?: number;
  /** End after this many epochs while keeping the schedule of `epochs` (a refit replays a run's path). */
  stopAfterEpochs?: number;
  /** End with the best epoch's weights (default) or the last ones. */
  restoreBest?: boolean;
  /** Checkpoints go to resultsDir/checkpoint-<step>/ when set. */
  resultsDir?: string;
  resume?: boolean;
  /** Also checkpoint every N steps inside an epoch (0: only at epoch ends). */
  checkpointEverySteps?: number;
  keepLast?: number;
  /** Identifies the run (data and options); a resume with another fingerprint is refused. */
  fingerprint?: string;
  onEvent?: (e: FitEvent) => void;
  /** Set to stop after the current step (SIGINT). */
  shouldStop?: () => boolean;
  /** Training threads: each batch as this many data-parallel shards (default 1). */
  threads?: number;
}

export type FitEvent =
  | { type: 'start'; trainWindows: number; validationWindows: number; stepsPerEpoch: number; epochs: number; completedEpochs: number; resumedFromStep?: number }
  | { type: 'step'; epoch: number; step: number; batch: number; stepsPerEpoch: number; loss: number; lr: number; windowsPerSecond: number }
  | ({ type: 'epoch'; improved: boolean; bestEpoch: number } & EpochRecord)
  | { type: 'checkpoint'; step: number; dir: string }
  | { type: 'threads'; threads: number }
  | { type: 'stop'; reason: 'early-stopping' | 'epochs' | 'interrupted'; bestEpoch: number; bestValLoss: number };

export interface FitResult {
  history: EpochRecord[];
  bestEpoch: number;
  bestValLoss: number;
  steps: number;
  stopReason: 'early-stopping' | 'epochs' | 'interrupted';
  seconds: number;
}

/** Seed of dropout mask k of step s (independent of how the run was split by resumes). */

export async function fit(model: TtmModel, data: FitData, o: FitOptions): Promise<FitResult> {
  await enableGradients();
  const t0 = performance.now();
  const cfg = model.config;
  const H = outputHorizon(cfg);
  const L = cfg.context_length;
  if (data.trainRefs.length === 0) throw new TrainingError('no training windows', { hint: 'the series are too short for the context and horizon; lower either', param: 'context' });
  const vars = trainableVariables(model, o.isTrainable);
  const unprepare = prepareForTraining(model, vars);
  const optimizer = new AdamW(vars, { lr: o.lr, weightDecay: o.weightDecay });
  const perEpoch = Math.min(data.trainRefs.length, o.windowsPerEpoch ?? Infinity);
  const stepsPerEpoch = Math.ceil(perEpoch / o.batchSize);
  const sched = oneCycleSchedule({ total_steps: stepsPerEpoch * o.epochs, max_lr: o.lr });
  const withCategorical = (cfg.categorical_vocab_size_list?.length ?? 0) > 0;
  let best = stateDict(model);
  let state: LoopState = {
    epoch: 0, batchInEpoch: 0, step: 0, epochLossSum: 0, epochWindows: 0,
    early: initEarlyStopping({ patience: o.patience }), history: [], bestEpoch: -1, bestStep: null, stopped: false,
  };
  let resumedFromStep: number | undefined;
  if (o.resume && o.resultsDir) {
    const restored = await restore(o.resultsDir, model, optimizer, o.fingerprint);
    if (restored) {
      state = restored.state;
      best = restored.best;
      resumedFromStep = state.step;
    }
  }
  o.onEvent?.({ type: 'start', trainWindows: data.trainRefs.length, validationWindows: data.validationRefs.length, stepsPerEpoch, epochs: o.epochs, completedEpochs: state.history.length, resumedFromStep });
  let stopReason: FitResult['stopReason'] = 'epochs';
  const save = async (metrics: Record<string, unknown>) => {
    if (!o.resultsDir) return;
    const info = await writeCheckpoint(o.resultsDir, state.step, {
      'model.safetensors': serializeModelWeights(model),
      'best.safetensors': serializeSafetensors(best),
      'optimizer.safetensors': adamwStateToBytes(optimizer.getState()),
      'trainer_state.json': trainerStateJson({ ...state, fingerprint: o.fingerprint ?? null }),
    }, metrics);
    await pruneCheckpoints(o.resultsDir, { keepLast: o.keepLast ?? 3, bestStep: state.bestStep });
    o.onEvent?.({ type: 'checkpoint', step: state.step, dir: info.dir });
  };

  const inputOptions = { withFuture: true, withCategorical, freqToken: data.freqToken, transform: data.transform, vocab: indexVocab(cfg) };
  const threads = o.threads ?? 1;
  const obstacle = threads > 1 ? parallelObstacle(model) : undefined;
  if (obstacle) throw new UsageError(`threads ${threads}: ${obstacle}`, { hint: 'train on one thread', param: 'threads' });
  const stepper = threads > 1 ? await ParallelStepper.start(model, vars, { threads, loss: o.loss, inputOptions, seed: o.seed }) : undefined;
  o.onEvent?.({ type: 'threads', threads });
  try {
    const lastEpoch = Math.min(o.epochs, o.stopAfterEpochs ?? Infinity);
    training: while (state.epoch < lastEpoch && !state.stopped) {
      const order = new Rng(o.seed * 7919 + state.epoch).shuffle([...data.trainRefs]).slice(0, perEpoch);
      const batches = windowBatches(data.ds, order, { context: L, horizon: H, batchSize: o.batchSize, preprocessor: data.preprocessor });
      let b = 0;
      const tEpoch = performance.now();
      let windowsThisRun = 0;
      for (const batch of batches) {
        if (b++ < state.batchInEpoch) continue; // resumed mid-epoch: these batches are done
        if (o.shouldStop?.()) {
          stopReason = 'interrupted';
          await save({ interrupted: true, epoch: state.epoch });
          break training;
        }
        const { lr, beta1 } = oneCycle(Math.min(state.step, sched.total_steps - 1), sched);
        const step = state.step;
        let loss: number;
        if (stepper) {
          loss = await stepper.step(batch, optimizer, step, { lr, beta1 });
        } else {
          const inputs = batchInputs(batch, inputOptions);
          let k = 0;
          loss = trainStep(model, optimizer, vars, inputs, { lr, beta1, loss: o.loss, nextSeed: () => dropoutSeed(o.seed, step, 0, k++) });
          disposeInputs(inputs);
        }
        if (!Number.isFinite(loss)) {
          throw new TrainingError(`loss is ${loss} at step ${state.step} (epoch ${state.epoch + 1})`, { hint: 'lower the learning rate, or check the data for extreme values', param: 'lr' });
        }
        state.step++;
        state.batchInEpoch++;
        state.epochLossSum += loss * batch.size;
        state.epochWindows += batch.size;
        windowsThisRun += batch.size;
        const wps = windowsThisRun / ((performance.now() - tEpoch) / 1000);
        o.onEvent?.({ type: 'step', epoch: state.epoch, step: state.step, batch: state.batchInEpoch, stepsPerEpoch, loss, lr, windowsPerSecond: wps });
        if (o.checkpointEverySteps && state.step % o.checkpointEverySteps === 0 && state.batchInEpoch < stepsPerEpoch) {
          await save({ epoch: state.epoch, batch: state.batchInEpoch });
        }
      }
      const valLoss = await validationLoss(model, data, o.loss, o.batchSize);
      const seconds = (performance.now() - tEpoch) / 1000;
      const record: EpochRecord = {
        epoch: state.epoch + 1,
        loss: state.epochLossSum / Math.max(state.epochWindows, 1),
        valLoss,
        lr: oneCycle(Math.max(0, Math.min(state.step - 1, sched.total_steps - 1)), sched).lr,
        seconds,
        windowsPerSecond: windowsThisRun / seconds,
      };
      const es = earlyStopping(state.early, valLoss, state.epoch + 1);
      state.early = es.state;
      if (es.improved) {
        best = stateDict(model);
        state.bestEpoch = state.epoch + 1;
        state.bestStep = state.step;
      }
      state.history.push(record);
      o.onEvent?.({ type: 'epoch', ...record, improved: es.improved, bestEpoch: state.bestEpoch });
      state.epoch++;
      state.batchInEpoch = 0;
      state.epochLossSum = 0;
      state.epochWindows = 0;
      state.stopped = es.stop;
      await save({ epoch: record.epoch, loss: record.loss, val_loss: valLoss, improved: es.improved });
      if (es.stop) break;
    }
  } finally {
    optimizer.dispose();
    await stepper?.close();
    unprepare();
  }
  if (state.bestEpoch < 0) throw new TrainingError('no finite validation loss in any epoch', { hint: 'lower the learning rate, or check the data for extreme values', param: 'lr' });
  if (o.restoreBest !== false) loadStateDict(model, best, 'best weights');
  if (state.stopped) stopReason = 'early-stopping';
  const bestValLoss = state.early.best ?? NaN;
  o.onEvent?.({ type: 'stop', reason: stopReason, bestEpoch: state.bestEpoch, bestValLoss });
  return { history: state.history, bestEpoch: state.bestEpoch, bestValLoss, steps: state.step, stopReason, seconds: (performance.now() - t0) / 1000 };
}

/** Mean configured loss over the validation windows (eval mode), weighted by batch size. */
export async function validationLoss(model: TtmModel, data: FitData, loss: LossName | undefined, batchSize: number): Promise<number> {
  const cfg = model.config;
  const withCategorical = (cfg.categorical_vocab_size_list?.length ?? 0) > 0;
  let sum = 0;
  let n = 0;
  for (const batch of windowBatches(data.ds, data.validationRefs, { context: cfg.context_length, horizon: outputHorizon(cfg), batchSize: Math.max(batchSize, 256), preprocessor: data.preprocessor })) {
    const inputs = batchInputs(batch, { withFuture: true, withCategorical, freqToken: data.freqToken, transform: data.transform, vocab: indexVocab(model.config) });
    const l = tf.tidy(() => model.forward(inputs, { loss }).loss!);
    sum += (await l.data())[0] * batch.size;
    n += batch.size;
    l.dispose();
    disposeInputs(inputs);
  }
  return n ? sum / n : NaN;
}

async function restore(resultsDir: string, model: TtmModel, optimizer: AdamW, fingerprint: string | undefined) {
  const info = await latestCheckpoint(resultsDir);
  if (!info) return undefined;
  const saved = parseTrainerState(await readCheckpointJson(info, 'trainer_state.json'), `${info.dir}/trainer_state.json`);
  if (fingerprint && saved.fingerprint && saved.fingerprint !== fingerprint) {
    throw new CheckpointError(`${info.dir}: the checkpoint belongs to a run with other data or options`, {
      hint: 'start over, or resume with the same data and options as the interrupted run',
      param: 'resume',
    });
  }
  loadStateDict(model, parseSafetensors(await readCheckpointFile(info, 'model.safetensors'), `${info.dir}/model.safetensors`).tensors, `${info.dir}/model.safetensors`);
  const best = parseSafetensors(await readCheckpointFile(info, 'best.safetensors'), `${info.dir}/best.safetensors`).tensors;
  optimizer.setState(adamwStateFromBytes(await readCheckpointFile(info, 'optimizer.safetensors'), `${info.dir}/optimizer.safetensors`));
  const bestMap = new Map([...best].map(([k, t]) => [k, { dtype: t.dtype === 'I64' ? ('I64' as const) : ('F32' as const), shape: t.shape, data: t.data }]));
  const { fingerprint: _f, ...state } = saved;
  return { state: state satisfies LoopState, best: bestMap as Map<string, TensorToWrite> };
}
