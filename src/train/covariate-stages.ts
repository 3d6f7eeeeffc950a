/**
 * Covariates from fresh weights in two stages: first the targets alone, then granite-tsfm's
 * exogenous fine-tuning from that model (backbone frozen; decoder, head and the new forecast
 * channel mixer train with the covariates).
 *
 * Why: TTM's backbone is channel-independent, so every exogenous channel costs a backbone pass;
 * training it from fresh weights with 7 covariates ran at a tenth of the targets-only speed, and
 * the forecast channel mixer learns the promotions' lift only after the level and season are
 * learnt (on dunnhumby its validation loss dropped by a fifth in the third epoch of stage 2, not
 * before; docs/training.md). Stage 1 also gives the no-covariate validation figures the model
 * card and metrics.json report beside the final ones, so a user sees what the covariates bought.
 *
 * Leakage: stage 1 never refits (it sees training weeks only), so stage 2's validation weeks are
 * unseen by every weight; stage 2 refits (when asked) from that same stage-1 backbone.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeeklyDataset } from '../data/index.js';
import type { TrainOptions, TrainResult } from './train-model.js';

type WithData = TrainOptions & { dataset: WeeklyDataset };

/** Where stage 1 keeps its model and its checkpoints, inside the run's results directory. */
export function stageOneDirs(results: string): { output: string; results: string } {
  return { output: join(results, 'stage1', 'model'), results: join(results, 'stage1') };
}

/** Covariates or a calendar, fresh weights, and the two-stage recipe (the default). */
export function needsStages(o: TrainOptions): boolean {
  const exogenous = o.covariates.length > 0 || o.calendar !== null;
  return exogenous && !o.pretrained && (o.covariateTraining ?? 'two-stage') === 'two-stage';
}

/**
 * Stage 1's metrics when a finished stage 1 of this data is in `dir` (what --resume reuses);
 * undefined when there is none, it was interrupted, or it trained on other data.
 */
async function finishedStageOne(dir: string, data: string): Promise<Record<string, unknown> | undefined> {
  try {
    const args = JSON.parse(await readFile(join(dir, 'training_args.json'), 'utf8')) as { data?: unknown };
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    return args.data === data && metrics.stop_reason !== 'interrupted' ? metrics : undefined;
  } catch {
    return undefined;
  }
}

export async function trainInStages(o: WithData, trainOnce: (o: WithData) => Promise<TrainResult>): Promise<TrainResult> {
  const dirs = stageOneDirs(o.results);
  // A finished stage 1 is reused on --resume; an interrupted one resumes from its checkpoint.
  const previous = o.resume ? await finishedStageOne(dirs.output, o.dataset.file) : undefined;
  const done = previous !== undefined;
  o.onEvent?.({ type: 'stage', stage: 1, of: 2, what: 'the targets alone (no covariates): the backbone stage 2 fine-tunes', ...(done ? { reused: true } : {}) });
  let stageOneMetrics = previous;
  if (!done) {
    const first = await trainOnce({ ...o, covariates: [], calendar: null, refit: false, trainable: undefined, output: dirs.output, results: dirs.results, extraMetrics: undefined });
    if (first.fit.stopReason === 'interrupted') return first; // `ttm train --resume` carries on
    stageOneMetrics = first.metrics;
  }
  o.onEvent?.({ type: 'stage', stage: 2, of: 2, what: 'the covariates: decoder, head and forecast channel mixer fine-tuned from stage 1, backbone frozen' });
  return trainOnce({
    ...o,
    pretrained: dirs.output,
    trainable: o.trainable ?? 'decoder-head',
    extraMetrics: { ...o.extraMetrics, without_covariates: { validation: stageOneMetrics?.validation, best_epoch: stageOneMetrics?.best_epoch } },
  });
}
