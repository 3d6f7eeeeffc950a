/**
 * The design's data-quality rules, each a pure function of the weekly dataset returning one
 * result: the overall figure, pass/fail, and the series that break it.
 */
import { median, OUTLIER_RULE, robustOutliers } from './robust.js';
import { seriesEnd } from './series.js';
import type { Series, SeriesKey, WeeklyDataset } from './series.js';
import { formatDay } from './weeks.js';

export type RuleName = 'completeness' | 'consistency' | 'timeliness' | 'outliers' | 'duplicates' | 'length';

export interface SeriesFinding extends SeriesKey {
  value: number;
  detail: string;
}

export interface RuleResult {
  rule: RuleName;
  passed: boolean;
  /** the overall figure the threshold applies to */
  value: number;
  threshold: string;
  summary: string;
  /** series that break the rule (or, for shares, exceed the threshold on their own) */
  series: SeriesFinding[];
}

export const THRESHOLDS = { missingShare: 0.05, outlierShare: 0.02, timelinessDays: 7, priceBand: 5, priceShare: 0.01 } as const;

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
/** `1 day`, `5 days`: a count with its noun, singular or plural. */
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const finding = (s: Series, value: number, detail: string): SeriesFinding => ({ produto: s.produto, regiao: s.regiao, value, detail });

/** Weeks without any row inside each series' span; passes when the overall share is < 5%. */
export function completeness(ds: WeeklyDataset): RuleResult {
  let missing = 0;
  let total = 0;
  const series: SeriesFinding[] = [];
  for (const s of ds.series) {
    let m = 0;
    for (const n of s.rowsPerWeek) if (n === 0) m++;
    missing += m;
    total += s.length;
    if (m / s.length >= THRESHOLDS.missingShare) series.push(finding(s, m / s.length, `${m} of ${count(s.length, 'week')} missing`));
  }
  const share = missing / total;
  return {
    rule: 'completeness',
    passed: share < THRESHOLDS.missingShare,
    value: share,
    threshold: `missing weeks < ${pct(THRESHOLDS.missingShare)}`,
    summary: `${missing} of ${total} series-weeks missing (${pct(share)}); ${series.length} series at or above the threshold`,
    series,
  };
}

/**
 * No negative rows, and prices sane: a week with units has revenue and the reverse, and the
 * implied price (faturamento / vendas) stays within 5x of the series' median price. Negative
 * rows fail the rule outright; implausible prices fail it from 1% of weeks with rows (a free
 * unit now and then is real retail), and are listed either way.
 */
export function consistency(ds: WeeklyDataset): RuleResult {
  let negatives = 0;
  let insane = 0;
  let weeks = 0;
  const series: SeriesFinding[] = [];
  for (const s of ds.series) {
    const [v, f] = s.values;
    const prices: number[] = [];
    for (let t = 0; t < s.length; t++) if (v[t] > 0 && f[t] > 0) prices.push(f[t] / v[t]);
    const mid = median(prices);
    let bad = 0;
    for (let t = 0; t < s.length; t++) {
      if (s.rowsPerWeek[t] === 0 || v[t] < 0 || f[t] < 0) continue;
      const price = f[t] / v[t];
      const isOff = (v[t] > 0) !== (f[t] > 0) || (v[t] > 0 && (price > mid * THRESHOLDS.priceBand || price < mid / THRESHOLDS.priceBand));
      if (isOff) bad++;
    }
    negatives += s.stats.negativeRows;
    insane += bad;
    for (const n of s.rowsPerWeek) if (n > 0) weeks++;
    if (s.stats.negativeRows > 0 || bad > 0) {
      series.push(finding(s, s.stats.negativeRows + bad, `${count(s.stats.negativeRows, 'negative row')}, ${count(bad, 'week')} with an implausible price`));
    }
  }
  return {
    rule: 'consistency',
    passed: negatives === 0 && insane / weeks < THRESHOLDS.priceShare,
    value: negatives + insane,
    threshold: `no negative values; price within ${THRESHOLDS.priceBand}x of the series median in > ${pct(1 - THRESHOLDS.priceShare)} of weeks`,
    summary: `${count(negatives, 'negative row')}, ${count(insane, 'week')} with an implausible price (${pct(insane / weeks)}), in ${series.length} series`,
    series,
  };
}

/** The latest week ends within 7 days of `asOf`, and no series stops before the others. */
export function timeliness(ds: WeeklyDataset, asOf: number): RuleResult {
  const lastWeek = ds.weeks - 1;
  const lastDay = ds.firstWeek + 7 * lastWeek + 6;
  const lag = asOf - lastDay;
  const series = ds.series
    .filter((s) => seriesEnd(s) < lastWeek)
    .map((s) => finding(s, lastWeek - seriesEnd(s), `last week ${formatDay(ds.firstWeek + 7 * seriesEnd(s))}, ${count(lastWeek - seriesEnd(s), 'week')} behind`));
  return {
    rule: 'timeliness',
    passed: lag <= THRESHOLDS.timelinessDays && series.length === 0,
    value: lag,
    threshold: `latest week ends <= ${THRESHOLDS.timelinessDays} days before ${formatDay(asOf)}; no stale series`,
    summary: `latest week ${formatDay(lastDay - 6)} ends ${lag === 0 ? 'on' : `${count(Math.abs(lag), 'day')} ${lag > 0 ? 'before' : 'after'}`} ${formatDay(asOf)}; ${series.length} series end early`,
    series,
  };
}

/**
 * Robust outliers on log1p(vendas) of the weeks with sales (see robust.ts): weeks without sales
 * are stock-outs or delisting, not outliers. Passes when the overall share is < 2%.
 */
export function outliers(ds: WeeklyDataset): RuleResult {
  let flagged = 0;
  let total = 0;
  const series: SeriesFinding[] = [];
  for (const s of ds.series) {
    const seen: number[] = [];
    for (let t = 0; t < s.length; t++) if (s.rowsPerWeek[t] > 0 && s.values[0][t] > 0) seen.push(s.values[0][t]);
    let n = 0;
    for (const f of robustOutliers(seen)) n += f;
    flagged += n;
    total += seen.length;
    if (seen.length > 0 && n / seen.length >= THRESHOLDS.outlierShare) series.push(finding(s, n / seen.length, `${n} of ${count(seen.length, 'week')}`));
  }
  const share = total === 0 ? 0 : flagged / total;
  return {
    rule: 'outliers',
    passed: share < THRESHOLDS.outlierShare,
    value: share,
    threshold: `outlier weeks < ${pct(THRESHOLDS.outlierShare)} (|log1p units - median| > ${OUTLIER_RULE.k} x max(1.4826 MAD, ${OUTLIER_RULE.scaleFloor}))`,
    summary: `${flagged} of ${total} weeks with sales are outliers (${pct(share)}); ${series.length} series at or above the threshold`,
    series,
  };
}

/** No (series, date) pair appears twice. */
export function duplicates(ds: WeeklyDataset): RuleResult {
  const series = ds.series.filter((s) => s.stats.duplicateRows > 0).map((s) => finding(s, s.stats.duplicateRows, count(s.stats.duplicateRows, 'repeated row')));
  const n = series.reduce((a, f) => a + f.value, 0);
  return {
    rule: 'duplicates',
    passed: n === 0,
    value: n,
    threshold: 'no repeated (produto_cat, uf_cat, date) rows',
    summary: `${count(n, 'repeated row')} in ${series.length} series`,
    series,
  };
}

/** Every series spans at least context + horizon weeks. */
export function length(ds: WeeklyDataset, context: number, horizon: number): RuleResult {
  const need = context + horizon;
  const series = ds.series.filter((s) => s.length < need).map((s) => finding(s, s.length, `${count(s.length, 'week')}, needs ${need}`));
  return {
    rule: 'length',
    passed: series.length === 0,
    value: series.length,
    threshold: `every series >= context + horizon = ${need} weeks`,
    summary: `${series.length} of ${ds.series.length} series shorter than ${need} weeks`,
    series,
  };
}
