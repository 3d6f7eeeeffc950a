/**
 * The series of a --pairs list: each pair that has rows, and for each that has none a skip with
 * the reason (docs/evaluate-predict.md: a warning per skipped pair, forecasts for the rest).
 */
import type { SeriesKey, WeeklyDataset } from '../data/index.js';
import { DataError } from '../errors.js';
import { findSeries } from './predict-run.js';

export function findPairs(ds: WeeklyDataset, keys: readonly SeriesKey[]): { which: number[]; skipped: { key: SeriesKey; reason: string }[] } {
  const which: number[] = [];
  const skipped: { key: SeriesKey; reason: string }[] = [];
  for (const key of keys) {
    try {
      which.push(findSeries(ds, key));
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      skipped.push({ key, reason: err.message });
    }
  }
  if (which.length === 0) {
    throw new DataError(`${ds.file}: none of the ${keys.length} pair(s) has rows (${skipped[0]?.reason ?? 'empty list'})`, { hint: 'check the produto_cat,uf_cat values against the data' });
  }
  return { which, skipped };
}
