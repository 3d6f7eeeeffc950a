/**
 * Early stopping on validation loss, as a pure function over plain, JSON-serialisable state
 * (it goes into checkpoints). An evaluation improves when `valLoss < best - minDelta` (Keras and
 * Lightning's rule); training stops once `patience` evaluations in a row have not improved.
 * A non-finite loss never improves; whether it is fatal is the caller's decision.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';

export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping (the design: 15). */
  patience: number;
  /** Smallest decrease that counts as an improvement. */
  minDelta?: number;
}

export const EarlyStoppingStateSchema = z.object({
  patience: z.number().int().nonnegative(),
  minDelta: z.number().nonnegative(),
  /** Best validation loss so far, null before the first finite one. */
  best: z.number().nullable(),
  /** The step (or epoch) that reached `best`, as passed by the caller. */
  bestStep: z.number().int().nullable(),
  /** Evaluations since the last improvement. */
  wait: z.number().int().nonnegative(),
  /** Evaluations seen. */
  evaluations: z.number().int().nonnegative(),
});
export type EarlyStoppingState = z.infer<typeof EarlyStoppingStateSchema>;

export interface EarlyStoppingResult {
  state: EarlyStoppingState;
  /** This evaluation is the new best: save it. */
  improved: boolean;
  /** Patience is exhausted: stop training. */
  stop: boolean;
}

export function initEarlyStopping({ patience, minDelta = 0 }: EarlyStoppingOptions): EarlyStoppingState {
  if (!Number.isInteger(patience) || patience < 1) {
    throw new ConfigError(`patience must be a positive integer, got ${patience}`);
  }
  if (!(minDelta >= 0)) throw new ConfigError(`min delta must be >= 0, got ${minDelta}`);
  return { patience, minDelta, best: null, bestStep: null, wait: 0, evaluations: 0 };
}

/**
 * Record one validation loss. `step` labels it (global step or epoch); it defaults to the
 * number of evaluations before this one.
 */
export function earlyStopping(
  state: EarlyStoppingState,
  valLoss: number,
  step: number = state.evaluations,
): EarlyStoppingResult {
  const improved =
    Number.isFinite(valLoss) && (state.best === null || valLoss < state.best - state.minDelta);
  const next: EarlyStoppingState = improved
    ? { ...state, best: valLoss, bestStep: step, wait: 0, evaluations: state.evaluations + 1 }
    : { ...state, wait: state.wait + 1, evaluations: state.evaluations + 1 };
  return { state: next, improved, stop: next.wait >= next.patience };
}
