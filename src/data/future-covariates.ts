/**
 * The covariates of the forecast weeks: rows of `date, produto_cat, uf_cat` and the covariate
 * columns, from a CSV (`ttm predict --future FILE`, `ttm serve --future FILE`) or from a REST
 * request's `future` field. Target values are never read. Values extend each series' covariate
 * arrays past its last week; rows inside a series' history are ignored (the history's own values
 * are kept), as are rows of series the dataset does not hold.
 */
import { DataError } from '../errors.js';
import { forEachFutureRow } from './read-csv.js';
import { seriesId } from './series.js';
import type { SeriesKey, WeeklyDataset } from './series.js';
import { WEEKDAYS, weekStartOf } from './weeks.js';

export interface FutureSummary {
  rows: number;
  /** rows whose week lies inside the series' history (the history's own values are kept) */
  insideHistory: number;
  /** rows of series the data does not hold */
  unknownSeries: number;
}

/** One row of future covariates: a day of the week, the series, the values in the dataset's covariate order. */
export interface FutureRow extends SeriesKey {
  day: number;
  covariates: ArrayLike<number>;
}

/**
 * Collects future rows for `ds` (`add`, any order; several rows of one week are averaged) and
 * extends its series' covariate arrays with them (`finish`). `finish` gives each series it
 * extends new arrays (it never writes into the old ones), so a shallow copy of a series can be
 * extended without touching the dataset it was copied from.
 */
export function futureCovariates(ds: WeeklyDataset): { add: (row: FutureRow) => void; finish: () => FutureSummary } {
  const names = ds.covariates ?? [];
  const anchor = WEEKDAYS.indexOf(ds.weekStart);
  const index = new Map(ds.series.map((s, i) => [seriesId(s), i]));
  const sums = new Map<number, Map<number, { n: number; sum: Float64Array }>>();
  const summary: FutureSummary = { rows: 0, insideHistory: 0, unknownSeries: 0 };
  const add = (row: FutureRow): void => {
    summary.rows++;
    const i = index.get(seriesId(row));
    if (i === undefined) {
      summary.unknownSeries++;
      return;
    }
    const s = ds.series[i];
    const pos = (weekStartOf(row.day, anchor) - ds.firstWeek) / 7 - s.start;
    if (pos < s.length) {
      summary.insideHistory++;
      return;
    }
    let bySeries = sums.get(i);
    if (!bySeries) sums.set(i, (bySeries = new Map()));
    let cell = bySeries.get(pos);
    if (!cell) bySeries.set(pos, (cell = { n: 0, sum: new Float64Array(names.length) }));
    cell.n++;
    for (let k = 0; k < cell.sum.length; k++) cell.sum[k] += row.covariates[k];
  };
  const finish = (): FutureSummary => {
    for (const [i, bySeries] of sums) {
      const s = ds.series[i];
      const end = Math.max(...bySeries.keys()) + 1;
      s.covariates = (s.covariates ?? names.map(() => new Float64Array(0))).map((old, k) => {
        const next = new Float64Array(Math.max(end, old.length)).fill(Number.NaN);
        next.set(old);
        for (const [pos, cell] of bySeries) next[pos] = cell.sum[k] / cell.n;
        return next;
      });
    }
    return summary;
  };
  return { add, finish };
}

/** Reads `file` and appends its weekly covariate values (mean of the week's rows) to `ds`'s series. */
export async function attachFutureCovariates(ds: WeeklyDataset, file: string): Promise<FutureSummary> {
  const names = ds.covariates ?? [];
  if (names.length === 0) throw new DataError(`${file}: the model uses no covariate columns, so --future has nothing to read`, { hint: 'leave out --future' });
  const future = futureCovariates(ds);
  await forEachFutureRow(file, names, (row) => future.add({ day: row.day, produto: row.produto, regiao: row.regiao, covariates: row.covariates! }));
  return future.finish();
}
