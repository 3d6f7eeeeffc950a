/**
 * Cutting a weekly dataset at a calendar week: what a model may see at a backtest cutoff, or what
 * `ttm train --holdout/--until` trains on. Series that start after the cut are dropped; the rest
 * keep their weeks up to and including `throughWeek`. Row statistics (for the quality rules) stay
 * those of the whole file.
 */
import { ConfigError } from '../errors.js';
import { seriesEnd, type Series, type WeeklyDataset } from './series.js';
import { formatDay } from './weeks.js';

/** The dataset with every week after calendar week `throughWeek` removed. */
export function cutDataset(ds: WeeklyDataset, throughWeek: number): WeeklyDataset {
  if (!(Number.isInteger(throughWeek) && throughWeek >= 0)) {
    throw new ConfigError(`cannot cut ${ds.file} before its first week ${formatDay(ds.firstWeek)}`, { hint: 'choose a later date or fewer held-out weeks', param: 'cut' });
  }
  if (throughWeek >= ds.weeks - 1) return ds;
  const series: Series[] = [];
  for (const s of ds.series) {
    if (s.start > throughWeek) continue;
    const n = Math.min(seriesEnd(s), throughWeek) - s.start + 1;
    series.push({ ...s, length: n, values: s.values.map((v) => v.subarray(0, n)), observed: s.observed.subarray(0, n), rowsPerWeek: s.rowsPerWeek.subarray(0, n) });
  }
  return { ...ds, weeks: throughWeek + 1, series };
}

/**
 * The last calendar week to keep for `--holdout WEEKS` (the last WEEKS weeks held out) or
 * `--until DATE` (weeks starting on or before DATE kept). Neither: the whole calendar.
 */
export function cutWeek(ds: WeeklyDataset, o: { holdout?: number; until?: number }): number {
  if (o.holdout !== undefined && o.until !== undefined) throw new ConfigError('held-out weeks and a last training date exclude each other: give one', { param: 'cut' });
  let week = ds.weeks - 1;
  if (o.holdout !== undefined) week = ds.weeks - 1 - o.holdout;
  if (o.until !== undefined) week = Math.floor((o.until - ds.firstWeek) / 7);
  if (week < 0) {
    throw new ConfigError(`${ds.file}: nothing left to train on: the data spans ${formatDay(ds.firstWeek)} … ${formatDay(ds.firstWeek + 7 * (ds.weeks - 1))} (${ds.weeks} weeks)`, {
      hint: 'hold out fewer weeks or pick a later last training date',
      param: 'cut',
    });
  }
  return Math.min(week, ds.weeks - 1);
}
