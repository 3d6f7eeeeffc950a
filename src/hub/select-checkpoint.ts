/**
 * Which pretrained TTM checkpoint fits a context and horizon: granite-tsfm's `get_model` rule
 * (tsfm_public/toolkit/get_model.py), as a pure function over the checkpoint table. Reproduces
 * the reference answers in tests/fixtures/get-model-selection.json, quirks included.
 */
import { frequencyToken } from './frequency.js';
import { TTM_CHECKPOINTS, type CheckpointTable, type TtmCheckpoint } from './ttm-checkpoints.js';

export type ForceReturn = 'zeropad' | 'rolling' | 'random_init_small' | 'random_init_medium' | 'random_init_large';

export interface SelectionQuery {
  /** Model card, e.g. ibm-granite/granite-timeseries-ttm-r2. */
  repo: string;
  /** Context length L the data offers. */
  context: number;
  /** Horizon H wanted. */
  horizon: number;
  freq?: string | null;
  preferL1?: boolean;
  freqPrefixTuning?: boolean;
  preferLongerContext?: boolean;
  forceReturn?: ForceReturn | null;
}

/** Why no checkpoint was chosen; one value per get_model error. */
export type SelectionProblem = 'context-below-shortest' | 'no-shorter-context' | 'horizon-too-long' | 'no-model';

export type Selection =
  | {
      kind: 'checkpoint';
      key: string;
      checkpoint: TtmCheckpoint;
      revision: string;
      /** Set when the checkpoint forecasts further than asked (get_model's prediction_filter_length). */
      predictionFilterLength: number | null;
      /** One sentence on why this checkpoint. */
      reason: string;
    }
  | { kind: 'random-init'; size: 'small' | 'medium' | 'large'; reason: string }
  | { kind: 'none'; problem: SelectionProblem; message: string };

/** get_model's threshold for the L1 and prefix-tuning preferences. */
const LOW_RESOLUTION_MAX_CONTEXT = 512;

/** Release family of a model card: 1 r1, 2 r2 (granite), 3 research, 0 not in the table. */
export function cardFamily(repo: string): 0 | 1 | 2 | 3 {
  if (/ibm\/TTM|ibm-granite\/granite-timeseries-ttm-(r1|v1|1m)/.test(repo)) return 1;
  if (repo.includes('ibm-granite/granite-timeseries-ttm-r2')) return 2;
  if (repo.includes('ibm-research/ttm-research-r2')) return 3;
  return 0;
}

/** Candidates of a card's family, in table order. */
function familyModels(table: CheckpointTable, family: 1 | 2 | 3): Record<string, TtmCheckpoint> {
  if (family === 3) return table['research-use-models'];
  const prefix = family === 1 ? 'r1' : 'r2';
  return Object.fromEntries(Object.entries(table['ibm-granite-models']).filter(([, m]) => m.release.startsWith(prefix)));
}

/** Choose a checkpoint for `q`; never throws, a miss is `{ kind: 'none' }`. */
export function selectCheckpoint(q: SelectionQuery, table: CheckpointTable = TTM_CHECKPOINTS): Selection {
  const { context: L, horizon: H, freq = null, preferL1 = false, freqPrefixTuning = false } = q;
  const { preferLongerContext = true, forceReturn = null } = q;
  const family = cardFamily(q.repo);
  if (family === 0) return none('no-model', `${q.repo} is not a TTM model card with a checkpoint table`);
  const avail = familyModels(table, family);
  const ctx = (k: string) => avail[k].context_length;
  const hor = (k: string) => avail[k].prediction_length;
  const shortest = Math.min(...Object.keys(avail).map(ctx));

  // 1. Daily or coarser data: only r2.1 checkpoints (not on the research card).
  const R = (freq !== null && frequencyToken(freq)) || 0;
  let models = Object.keys(avail);
  if (family !== 3 && R >= 8) models = models.filter((k) => avail[k].release.includes('r2.1'));

  // 2. Context: keep checkpoints that read no more than the data has.
  let kept: string[] = [];
  if (L < shortest) {
    if (forceReturn === null)
      return none('context-below-shortest', `context ${L} is shorter than the shortest TTM context ${shortest}`);
    if (forceReturn === 'zeropad') kept = models; // caller pads
  } else {
    let lowest = Infinity;
    const shortestModels: string[] = []; // get_model collects every new-or-equal running minimum
    for (const k of models) {
      if (ctx(k) <= L) kept.push(k);
      if (ctx(k) <= lowest) {
        lowest = ctx(k);
        shortestModels.push(k);
      }
    }
    if (kept.length === 0) {
      if (forceReturn === null)
        return none('no-shorter-context', `no TTM has a context length of at most ${L}`);
      if (forceReturn === 'zeropad') kept = shortestModels;
    }
  }
  models = kept;

  // 3. L1 and prefix-tuning preferences, only for short contexts.
  if (models.length > 0) {
    const ref = preferLongerContext ? Math.min(L, Math.max(...models.map(ctx))) : Math.min(...models.map(ctx));
    if (ref <= LOW_RESOLUTION_MAX_CONTEXT) {
      if (preferL1) models = preferSome(models, (k) => k.includes('-l1-'));
      if (freqPrefixTuning) models = preferSome(models, (k) => k.includes('-ft-'));
    }
  }

  // 4-5. Longest (or shortest) context first, then shortest horizon; stable on table order.
  const sign = preferLongerContext ? -1 : 1;
  models = [...models].sort((a, b) => sign * ctx(a) - sign * ctx(b) || hor(a) - hor(b));

  // 6. Horizon: keep checkpoints that forecast at least H steps.
  if (models.length > 0) {
    const longEnough = models.filter((k) => hor(k) >= H);
    if (longEnough.length === 0) {
      if (forceReturn === null)
        return none('horizon-too-long', `no TTM forecasts ${H} steps or more for context ${L}`);
      if (forceReturn === 'rolling') longEnough.push(longestHorizon(models, hor));
    }
    models = longEnough;
  }

  // 7. Prefix tuning cannot use a frequency the mapping does not know.
  if (freqPrefixTuning && freq !== null && frequencyToken(freq) === undefined) models = [];

  if (models.length === 0) {
    if (forceReturn?.startsWith('random_init_')) {
      const size = forceReturn.slice('random_init_'.length) as 'small' | 'medium' | 'large';
      return { kind: 'random-init', size, reason: `no pretrained TTM fits context ${L} / horizon ${H}: a random ${size} TTM` };
    }
    return none('no-model', `no TTM fits context ${L} and horizon ${H}`);
  }
  const key = models[0];
  const m = avail[key];
  return {
    kind: 'checkpoint',
    key,
    checkpoint: m,
    revision: m.revision,
    predictionFilterLength: m.prediction_length > H ? H : null,
    reason: reasonFor(key, m, q),
  };
}

function none(problem: SelectionProblem, message: string): Selection {
  return { kind: 'none', problem, message };
}

/** Keep the models passing `test` when there are any, else all of them. */
function preferSome(models: string[], test: (k: string) => boolean): string[] {
  const some = models.filter(test);
  return some.length > 0 ? some : models;
}

/** First model with the strictly largest horizon (get_model's rolling fallback). */
function longestHorizon(models: string[], hor: (k: string) => number): string {
  return models.reduce((best, k) => (hor(k) > hor(best) ? k : best));
}

function reasonFor(key: string, m: TtmCheckpoint, q: SelectionQuery): string {
  const ctxPart =
    m.context_length <= q.context
      ? `the ${q.preferLongerContext === false ? 'shortest' : 'longest'} context (${m.context_length}) that fits ${q.context}`
      : `context ${m.context_length}, longer than the data's ${q.context} (zero-padding)`;
  const horPart =
    m.prediction_length >= q.horizon
      ? `the shortest horizon (${m.prediction_length}) covering ${q.horizon}`
      : `horizon ${m.prediction_length}, shorter than ${q.horizon} (roll forward)`;
  return `get_model rule: ${key} has ${ctxPart} and ${horPart}`;
}
