/** `ttm validate`'s library side: every quality rule on a weekly dataset, as one report. */
import { completeness, consistency, duplicates, length, outliers, timeliness } from './quality-rules.js';
import type { RuleResult } from './quality-rules.js';
import type { WeeklyDataset } from './series.js';
import { formatDay, today } from './weeks.js';

export interface ValidateOptions {
  /** day number the data should be current at (default: today, UTC) */
  asOf?: number;
  context?: number;
  horizon?: number;
}

export interface ValidationReport {
  file: string;
  passed: boolean;
  asOf: string;
  rows: number;
  series: number;
  weeks: number;
  weekStart: string;
  firstWeek: string;
  lastWeek: string;
  missing: string;
  rules: RuleResult[];
}

/** Applies every rule; `passed` is true when all pass. */
export function validate(ds: WeeklyDataset, options: ValidateOptions = {}): ValidationReport {
  const { asOf = today(), context = 104, horizon = 26 } = options;
  const rules = [completeness(ds), consistency(ds), timeliness(ds, asOf), outliers(ds), duplicates(ds), length(ds, context, horizon)];
  return {
    file: ds.file,
    passed: rules.every((r) => r.passed),
    asOf: formatDay(asOf),
    rows: ds.rows,
    series: ds.series.length,
    weeks: ds.weeks,
    weekStart: ds.weekStart,
    firstWeek: formatDay(ds.firstWeek),
    lastWeek: formatDay(ds.firstWeek + 7 * (ds.weeks - 1)),
    missing: ds.missing,
    rules,
  };
}
