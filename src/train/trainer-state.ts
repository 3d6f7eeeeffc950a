/**
 * trainer_state.json: the loop's position inside a training checkpoint (epoch, step, early
 * stopping, epoch history, best epoch), written by `fit` and read back by `--resume`. One schema
 * for both sides. Its keys stay as first written (camelCase): resuming must read checkpoints
 * written by earlier versions.
 */
import { z } from 'zod';
import { zodIssues } from '../config/zod-issues.js';
import { CheckpointError } from '../errors.js';
import { EarlyStoppingStateSchema } from './early-stopping.js';

/** A loss may be NaN (a diverged batch): JSON writes it as null, read back as NaN. */
const loss = z.union([z.number(), z.nan(), z.null().transform(() => NaN)]);
const count = z.number().int().nonnegative();

/** One finished epoch, as the loop reports it and the checkpoint keeps it. */
export const EpochRecordSchema = z.object({
  epoch: count,
  loss,
  valLoss: loss,
  lr: z.number(),
  seconds: z.number(),
  windowsPerSecond: loss,
});

export const TrainerStateSchema = z.object({
  epoch: count,
  /** batches of `epoch` already done */
  batchInEpoch: count,
  step: count,
  epochLossSum: loss,
  epochWindows: count,
  early: EarlyStoppingStateSchema,
  history: z.array(EpochRecordSchema),
  bestEpoch: z.number().int(),
  /** step of the checkpoint written right after the best epoch */
  bestStep: z.number().int().nullable(),
  /** early stopping ended the run (a resume must not train further) */
  stopped: z.boolean(),
  /** what the run trained on and with (a resume with other data or flags is refused); null: not recorded */
  fingerprint: z.string().nullable(),
});
export type EpochRecord = z.infer<typeof EpochRecordSchema>;
export type TrainerState = z.infer<typeof TrainerStateSchema>;
/** The loop's state without the fingerprint. */
export type LoopState = Omit<TrainerState, 'fingerprint'>;

/** What goes into the checkpoint (validated, so a bad writer fails at once). */
export function trainerStateJson(state: TrainerState): TrainerState {
  return TrainerStateSchema.parse(state);
}

/** Parses the checkpoint's trainer_state.json (already JSON.parse'd); `source` names the file. */
export function parseTrainerState(raw: unknown, source = 'trainer_state.json'): TrainerState {
  const parsed = TrainerStateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error);
  throw new CheckpointError(`${source}: invalid trainer state: ${issues}`, { hint: 'start over: the checkpoint cannot be resumed', param: 'resume' });
}
