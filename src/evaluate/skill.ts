/**
 * Skill of the model against a baseline, per metric: 1 - metric_model / metric_baseline.
 * Positive: the model is better (0.2 = 20% lower error); 0: as good; negative: worse. NaN when
 * the baseline's metric is 0 or NaN. Bias has no skill (its sign is not "better" or "worse").
 */
import type { MetricSet } from './metrics.js';

export const SKILL_METRICS = ['mae', 'rmse', 'wape', 'smape', 'mape', 'mase'] as const;

export type Skill = Record<(typeof SKILL_METRICS)[number], number>;

/** Skill of `model` against one baseline, for each error metric. */
export function skill(model: Pick<MetricSet, keyof Skill>, baseline: Pick<MetricSet, keyof Skill>): Skill {
  const out = {} as Skill;
  for (const k of SKILL_METRICS) out[k] = baseline[k] > 0 ? 1 - model[k] / baseline[k] : NaN;
  return out;
}

/** Skill against each named baseline. */
export function skillTable(
  model: Pick<MetricSet, keyof Skill>,
  baselines: Record<string, Pick<MetricSet, keyof Skill>>,
): Record<string, Skill> {
  return Object.fromEntries(Object.entries(baselines).map(([name, b]) => [name, skill(model, b)]));
}
