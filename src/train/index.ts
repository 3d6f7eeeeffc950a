/** Public API of src/train: optimizer, schedule, early stopping, checkpoints and training logs. */
export {
  oneCycle,
  oneCycleLr,
  oneCycleSchedule,
  parseOneCycleState,
  ONE_CYCLE_DEFAULTS,
  type OneCycleSchedule,
  type OneCycleState,
  type OneCycleValues,
} from './one-cycle.js';
export {
  AdamW,
  adamwStateToBytes,
  adamwStateFromBytes,
  type AdamWOptions,
  type AdamWHyper,
  type AdamWState,
  type AdamWParamState,
  type NamedVariables,
} from './adamw.js';
export {
  earlyStopping,
  initEarlyStopping,
  type EarlyStoppingOptions,
  type EarlyStoppingState,
  type EarlyStoppingResult,
} from './early-stopping.js';
export {
  CHECKPOINT_MANIFEST,
  checkpointDir,
  writeCheckpoint,
  listCheckpoints,
  latestCheckpoint,
  readCheckpointFile,
  readCheckpointJson,
  pruneCheckpoints,
  type CheckpointFile,
  type CheckpointInfo,
  type CheckpointManifest,
} from './checkpoint-store.js';
export { metricsLogPath, appendMetrics, readMetrics, truncateMetricsAfter, type MetricsRecord } from './metrics-log.js';
export { TfEventsWriter, encodeEvent, encodeRecord, eventFileName, FILE_VERSION, type TfEvent, type TfScalar, type TfEventsWriterOptions } from './tfevents.js';
export { readEvents, readRecords, decodeEvent } from './tfevents-reader.js';
export { crc32c, maskedCrc32c } from './crc32c.js';
export { trainingCurveSvg, type CurvePoint, type CurveOptions } from './curve-svg.js';
export { trainStep, trainableVariables, type StepOptions } from './train-step.js';
export { fit, validationLoss, type FitData, type FitOptions, type FitEvent, type FitResult, type EpochRecord } from './fit.js';
export { trainModel, planWindows, TRAIN_DEFAULTS, type TrainOptions, type TrainResult, type TrainInfoEvent } from './train-model.js';
export { runBacktest, cutoffOrigins, type BacktestOptions, type BacktestEvent, type BacktestResult } from './backtest-run.js';
