/**
 * The quality rules of `ttm validate`, run before training (`ttm train`, `ttm backtest`). The
 * data is judged as of its own last week (training on history is not late), and for each rule
 * that fails the gate says what training does with what broke it: summed, kept, zero-filled or
 * dropped.
 */
import type { RuleName } from './quality-rules.js';
import type { WeeklyDataset } from './series.js';
import { validate, type ValidationReport } from './validate.js';

export interface QualityIssue {
  rule: RuleName;
  summary: string;
  /** what training does about it */
  treatment: string;
}

export interface QualityGate {
  report: ValidationReport;
  issues: QualityIssue[];
}

export function qualityGate(ds: WeeklyDataset, o: { context: number; horizon: number; minContext: number }): QualityGate {
  const report = validate(ds, { asOf: ds.firstWeek + 7 * ds.weeks - 1, context: o.context, horizon: o.horizon });
  const need = Math.min(o.minContext, o.context) + o.horizon;
  const dropped = ds.series.filter((s) => s.length < need).length;
  const treatment: Record<RuleName, string> = {
    completeness: ds.missing === 'zero' ? 'weeks without a row are trained on as weeks without sales (0); the gap policy for missing weeks masks them instead' : 'weeks without a row are masked out (missing weeks policy: gap)',
    consistency: 'negative rows and implausible prices are kept as written and summed into their week; fix them at the source',
    timeliness: 'series that stop before the others are trained on the weeks they have; they are not forecast from a stale end without a warning in predict',
    outliers: 'outlier weeks are kept; the MAE loss and the blend with the 13-week median limit their pull',
    duplicates: 'repeated (produto_cat, uf_cat, date) rows are summed into their week',
    length: dropped > 0 ? `${dropped} series shorter than ${need} weeks (min-context + horizon) give no training window and are dropped from training` : `series shorter than context + horizon train on windows padded before their first week (at least ${Math.min(o.minContext, o.context)} real weeks)`,
  };
  return { report, issues: report.rules.filter((r) => !r.passed).map((r) => ({ rule: r.rule, summary: r.summary, treatment: treatment[r.rule] })) };
}
