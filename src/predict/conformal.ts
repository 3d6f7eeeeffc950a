/**
 * Split-conformal prediction intervals from validation windows: one quantile of scores pooled
 * over every horizon step, times a smooth per-step profile fitted across the steps.
 *
 * Why pooled (since issue 13): a quantile per step from one validation origin ties each step to
 * one calendar week, so a calendar spike in the validation weeks (Mother's Day, say) widened one
 * fixed step of every later forecast (the demo's produto 76, regiao 0: an 80% band of 456-1649
 * at one week amid bands of about 810-1290), and each step's quantile rested on n points only.
 * Now the median score of each step h = 1…H gives the profile g(h) = a·h^β, β in [0, 1], fitted by
 * least squares on logs (so the width grows smoothly and never shrinks with the lead time); the
 * scores divided by g(h) are pooled over all n·H points, and the half-width at step h is
 * q · g(h) · s with q the pooled finite-sample quantile. The per-step method (below) is kept for
 * models trained before and for comparison (`method: 'per-step'`).
 *
 * Score of a validation point at step h: |y - yhat| / s, where s is the window's scale,
 * `intervalScale(context)`: the mean absolute week-to-week change over the last 52 weeks of the
 * context the forecast was made from (falling back to the mean |y| of those weeks when the series
 * is flat, and to 1 when it is all zeros). The interval at level 1 - alpha is
 * yhat ± q_h · s, the lower bound clipped at 0 for the non-negative channels, where q_h is the
 * k-th smallest of the n validation scores of step h, k = ceil((n + 1)(1 - alpha)), i.e. the
 * empirical quantile at the finite-sample level ceil((n + 1)(1 - alpha)) / n; when k > n the
 * interval is unbounded (too few validation windows for that level).
 *
 * Why per step: errors grow with the lead time, so one quantile for all steps would be too wide
 * early and too narrow late. Why scaled: retail series span three orders of magnitude (dunnhumby:
 * mean 0.3 to 167 units a week); unscaled residuals pooled over series give intervals that cover
 * small series almost always and large ones far too rarely, although the average is right. Tried
 * on dunnhumby with mean52 forecasts (calibrated on weeks 105-130, scored on 131-156, nominal
 * 90%): unscaled coverage by volume tercile 99.7 / 97.9 / 74.1%; scaled by mean |y| 88 / 96 / 94%;
 * by the week-to-week change 92.6 / 91.8 / 89.2% with the narrowest intervals of the scales
 * tried (also lag-52 MASE scale and MAD), so that is the scale used. The exchangeability the
 * guarantee needs holds only roughly (validation and test windows are different seasons), which
 * is why `evaluate` reports the empirical coverage.
 *
 * The calibration is plain data (sorted scores per step, so any level can be asked later),
 * written with `calibrationToJSON` beside the model (forecaster.json) and read back with
 * `calibrationFromJSON`, both through `ConformalCalibrationSchema`. Intervals are a forecast
 * artefact stored with the model, so they live in predict; evaluate imports them from here.
 */
import { z } from 'zod';
import { SEASON } from '../data/index.js';
import { CheckpointError, DataError } from '../errors.js';

type Values = ArrayLike<number>;

/** One validation window: the context the forecast was made from, the actuals and the forecast. */
export interface CalibrationWindow {
  history: Values;
  actual: Values;
  forecast: Values;
}

/** The per-step method: a quantile of each step's own scores (models trained before issue 13). */
export const PER_STEP_METHOD = 'split-conformal-abs-scaled-by-naive-change';
/** The pooled method with a fitted step profile (the default since issue 13). */
export const CONFORMAL_METHOD = 'split-conformal-pooled-steps-scaled-by-naive-change';

const sortedScores = z
  .array(z.number().nonnegative())
  .min(1)
  .superRefine((row, ctx) => {
    const i = row.findIndex((x, k) => k > 0 && x < row[k - 1]);
    if (i > 0) ctx.addIssue({ code: 'custom', path: [i], message: 'is not a sorted non-negative number' });
  });

/** The calibration as stored in forecaster.json (one per channel); keys as written since v1. */
export const ConformalCalibrationSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal(PER_STEP_METHOD),
    /** Weeks at the end of the context that `intervalScale` looks at. */
    scaleWindow: z.number().int().positive(),
    /** [H][n]: each step's validation scores, ascending. */
    scores: z.array(sortedScores).min(1),
  }),
  z.object({
    method: z.literal(CONFORMAL_METHOD),
    scaleWindow: z.number().int().positive(),
    /** [H]: the fitted step profile g(h) = a·h^β */
    profile: z.array(z.number().positive()).min(1),
    /** [1][n·H]: every score divided by its step's profile, pooled, ascending */
    scores: z.array(sortedScores).length(1),
  }),
]);
export type ConformalCalibration = z.infer<typeof ConformalCalibrationSchema>;

export interface Interval {
  lower: Float64Array;
  upper: Float64Array;
}

/** The scale of one window: mean |y_t - y_{t-1}| over the last `window` weeks of its context. */
export function intervalScale(context: Values, window = SEASON): number {
  const from = Math.max(0, context.length - window);
  let change = 0;
  let level = 0;
  for (let t = from; t < context.length; t++) {
    level += Math.abs(context[t]);
    if (t > from) change += Math.abs(context[t] - context[t - 1]);
  }
  const n = context.length - from;
  if (n > 1 && change > 0) return change / (n - 1);
  if (n > 0 && level > 0) return level / n;
  return 1;
}

/**
 * Calibrates from validation windows (history = the context each forecast was made from):
 * `pooled` (default) or the older `per-step` quantiles.
 */
export function calibrateConformal(windows: readonly CalibrationWindow[], scaleWindow = SEASON, method: 'pooled' | 'per-step' = 'pooled'): ConformalCalibration {
  if (windows.length === 0) throw new DataError('conformal calibration: no validation windows');
  const horizon = windows[0].actual.length;
  const scores: number[][] = Array.from({ length: horizon }, () => []);
  for (const w of windows) {
    if (w.actual.length !== horizon || w.forecast.length !== horizon) {
      throw new DataError(`conformal calibration: windows of ${horizon} steps expected, got ${w.actual.length}/${w.forecast.length}`);
    }
    const s = intervalScale(w.history, scaleWindow);
    for (let h = 0; h < horizon; h++) scores[h].push(Math.abs(w.actual[h] - w.forecast[h]) / s);
  }
  if (method === 'per-step') {
    for (const row of scores) row.sort((a, b) => a - b);
    return { method: PER_STEP_METHOD, scaleWindow, scores };
  }
  const { profile, pooled } = poolOverSteps(scores);
  return { method: CONFORMAL_METHOD, scaleWindow, profile, scores: [pooled] };
}

/**
 * Every step's scores divided by the step profile fitted across the steps (stepProfile), pooled
 * and ascending: one quantile q of them gives step h the half-width q·profile[h].
 */
export function poolOverSteps(scores: readonly (readonly number[])[]): { profile: number[]; pooled: number[] } {
  const profile = stepProfile(scores);
  return { profile, pooled: scores.flatMap((row, h) => row.map((x) => x / profile[h])).sort((a, b) => a - b) };
}

/**
 * g(h) = a·h^β through the steps' median scores (mean where a median is 0), by least squares on
 * log g and log h over the steps with a positive figure; β clamped to [0, 1]. All zeros: g = 1.
 */
export function stepProfile(scores: readonly (readonly number[])[]): number[] {
  const centre = scores.map((row) => {
    const sorted = [...row].sort((a, b) => a - b);
    const median = sorted.length ? (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2 : 0;
    return median > 0 ? median : sorted.reduce((a, b) => a + b, 0) / Math.max(sorted.length, 1);
  });
  const pts = centre.flatMap((m, h) => (m > 0 ? [[Math.log(h + 1), Math.log(m)]] : []));
  if (pts.length === 0) return scores.map(() => 1);
  const mx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
  const my = pts.reduce((a, p) => a + p[1], 0) / pts.length;
  const sxx = pts.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
  const sxy = pts.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
  const beta = sxx > 0 ? Math.min(1, Math.max(0, sxy / sxx)) : 0;
  const logA = my - beta * mx;
  return scores.map((_, h) => Math.exp(logA + beta * Math.log(h + 1)));
}

/** The scaled half-width of step h at `level` (e.g. 0.9); Infinity when n is too small for it. */
export function conformalQuantile(cal: ConformalCalibration, step: number, level: number): number {
  if (!(level > 0 && level < 1)) throw new DataError(`interval level ${level} is not between 0 and 1`, { hint: 'e.g. 0.9' });
  const steps = cal.method === CONFORMAL_METHOD ? cal.profile.length : cal.scores.length;
  const row = cal.method === CONFORMAL_METHOD ? cal.scores[0] : cal.scores[step];
  if (!row || step >= steps) throw new DataError(`interval for step ${step + 1}: the calibration covers ${steps} steps`);
  const q = finiteSampleQuantile(row, level);
  return cal.method === CONFORMAL_METHOD ? q * cal.profile[step] : q;
}

/**
 * The split-conformal quantile of ascending scores at `level`: the k-th smallest of the n, with
 * k = ceil((n + 1)·level); Infinity when k > n (too few scores for the level).
 */
export function finiteSampleQuantile(sorted: ArrayLike<number>, level: number): number {
  const k = conformalRank(sorted.length, level);
  return k > sorted.length ? Infinity : sorted[k - 1];
}

/** k = ceil((n + 1)·level): which of n ascending scores is the quantile (none when k > n). */
export function conformalRank(n: number, level: number): number {
  return Math.ceil((n + 1) * level - 1e-9); // 1e-9: (n+1)·level is often an integer up to rounding
}

/** Interval around a forecast made from `context`, at `level`; lower bound clipped at 0 unless allowNegative. */
export function conformalInterval(
  cal: ConformalCalibration,
  forecast: Values,
  context: Values,
  level: number,
  { allowNegative = false } = {},
): Interval {
  const s = intervalScale(context, cal.scaleWindow);
  const lower = new Float64Array(forecast.length);
  const upper = new Float64Array(forecast.length);
  for (let h = 0; h < forecast.length; h++) {
    const half = conformalQuantile(cal, h, level) * s;
    lower[h] = allowNegative ? forecast[h] - half : Math.max(0, forecast[h] - half);
    upper[h] = forecast[h] + half;
  }
  return { lower, upper };
}

/** Plain JSON, scores rounded to 7 significant digits (enough for a quantile, a third of the size). */
export function calibrationToJSON(cal: ConformalCalibration): ConformalCalibration {
  const round = (row: number[]) => row.map((x) => Number(x.toPrecision(7)));
  return cal.method === CONFORMAL_METHOD ? { ...cal, profile: round(cal.profile), scores: cal.scores.map(round) } : { ...cal, scores: cal.scores.map(round) };
}

/** Reads a calibration back, checking its shape; `source` names the file in errors. */
export function calibrationFromJSON(json: unknown, source = 'calibration'): ConformalCalibration {
  const parsed = ConformalCalibrationSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
  const what =
    path === 'method'
      ? `method ${JSON.stringify((json as { method?: unknown }).method)}, expected ${CONFORMAL_METHOD} or ${PER_STEP_METHOD}`
      : `${path || 'root'}: ${issue.message}`;
  throw new CheckpointError(`${source}: not a conformal calibration (${what})`, {
    hint: 'retrain the model to recompute its intervals',
  });
}
