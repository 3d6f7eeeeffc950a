/**
 * Where a request's series comes from: the served dataset (by key) or the history sent inline,
 * and the datasets of one micro-batch put on one week calendar so a single library call
 * forecasts them all.
 */
import { formatDay, parseDay, seriesEnd, weeklyAccumulator, type Series, type WeeklyDataset, type Weekday } from '../data/index.js';
import { MIN_HISTORY_WEEKS, type Forecaster } from '../predict/index.js';
import { MAX_HISTORY_WEEKS, type PredictRequest } from './schemas.js';
import { HttpError } from './http-error.js';

/** A series to forecast: index `index` of dataset `ds`. */
export interface SeriesRef {
  ds: WeeklyDataset;
  index: number;
}

/**
 * The inline history as a one-series dataset on weeks starting `weekStart`, with the covariate
 * `columns` of each row (checked present by future-input.ts; weekly means, as from a CSV).
 */
export function historyDataset(req: PredictRequest, weekStart: Weekday, columns: readonly string[] = []): WeeklyDataset {
  const acc = weeklyAccumulator({ weekStart, covariates: columns });
  let lo = Infinity;
  let hi = -Infinity;
  req.history!.forEach((w, k) => {
    const day = parseDay(w.date);
    if (day === undefined) throw HttpError.badRequest(`history[${k}].date: ${w.date} is not a calendar date`, [{ path: `history.${k}.date`, message: 'YYYY-MM-DD' }]);
    lo = Math.min(lo, day);
    hi = Math.max(hi, day);
    const covariates = columns.length > 0 ? Float64Array.from(columns, (c) => w[c] as number) : undefined;
    acc.add({ record: k, day, produto: req.produto_id, regiao: req.regiao_id, vendas: w.vendas, faturamento: w.faturamento, covariates });
  });
  if ((hi - lo) / 7 > 2 * MAX_HISTORY_WEEKS) {
    throw HttpError.badRequest(`history spans ${formatDay(lo)} … ${formatDay(hi)}, more than ${2 * MAX_HISTORY_WEEKS} weeks`, [{ path: 'history', message: `at most ${2 * MAX_HISTORY_WEEKS} weeks from first to last date` }]);
  }
  return acc.finish('request history');
}

/** 422 when the model cannot forecast this series (too little history, a UF it never saw). */
export function checkForecastable(f: Forecaster, ref: SeriesRef): void {
  const s = ref.ds.series[ref.index];
  let observed = 0;
  for (let t = 0; t < s.length; t++) observed += s.observed[t];
  if (observed < MIN_HISTORY_WEEKS) {
    throw new HttpError(422, 'unprocessable', `series produto ${s.produto} regiao ${s.regiao} has ${observed} observed weeks; a forecast needs at least ${MIN_HISTORY_WEEKS}`, 'send a longer history');
  }
  if (!f.preprocessor.vocab.regiao.includes(s.regiao)) {
    throw new HttpError(422, 'unprocessable', `regiao_id ${s.regiao} is not in the model's vocabulary`, `use one of: ${f.preprocessor.vocab.regiao.slice(0, 30).join(', ')}`);
  }
}

/**
 * One dataset holding every referenced series (shared calendar, shifted starts) and their
 * indices in it, in order. Series from the same dataset as the first keep that dataset. A
 * series' covariates (history and future weeks) are indexed from its own first week, so they move
 * with its start.
 */
export function mergeRefs(refs: readonly SeriesRef[]): { ds: WeeklyDataset; which: number[] } {
  const base = refs[0].ds;
  if (refs.every((r) => r.ds === base)) return { ds: base, which: refs.map((r) => r.index) };
  const first = Math.min(...refs.map((r) => r.ds.firstWeek));
  const series: Series[] = [];
  let last = -Infinity;
  for (const r of refs) {
    const s = r.ds.series[r.index];
    const shift = (r.ds.firstWeek - first) / 7;
    if (!Number.isInteger(shift)) throw new Error(`mergeRefs: calendars of ${r.ds.file} and ${base.file} start on different weekdays`);
    const moved = { ...s, start: s.start + shift };
    last = Math.max(last, seriesEnd(moved));
    series.push(moved);
  }
  const ds: WeeklyDataset = { ...base, file: 'request batch', firstWeek: first, weeks: last + 1, rows: 0, series };
  return { ds, which: series.map((_, i) => i) };
}
