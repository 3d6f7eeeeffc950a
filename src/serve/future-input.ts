/**
 * The covariates a request carries for a model trained with `--covariates`: the columns of its
 * history rows and the `future` rows of its forecast weeks. Only the model's declared columns are
 * read; derived inputs and calendar channels are computed by the saved preprocessor, targets are
 * never taken from `future` (the schema refuses them). The rows go through the data layer's
 * future-covariate collector, as `ttm predict --future FILE` rows do.
 */
import { CALENDAR_CHANNELS, DERIVED, forecastRefs, futureCovariates, missingFutureMessage, missingFutureWeeks, parseDay } from '../data/index.js';
import type { Forecaster } from '../predict/index.js';
import { HttpError, type Issue } from './http-error.js';
import type { PredictRequest } from './schemas.js';
import type { SeriesRef } from './series-input.js';

const TARGET_FIELDS = new Set(['date', 'vendas', 'faturamento']);
const MAX_ISSUES = 20;

/** The model's covariate columns (empty: none). */
export function covariateColumns(f: Forecaster): string[] {
  return [...(f.preprocessor.covariates?.columns ?? [])];
}

/** Why a field that is not a declared column is refused. */
function notAColumn(field: string, columns: readonly string[], version: string): string {
  if (field in DERIVED) return `${field} is derived by the server from ${DERIVED[field as keyof typeof DERIVED].join(' and ')}: send those, not ${field}`;
  if ((CALENDAR_CHANNELS as readonly string[]).includes(field)) return `${field} is a calendar channel the server computes from the date: leave it out`;
  return columns.length === 0 ? `unknown field ${field}` : `${field} is not a covariate of model ${version} (it reads ${columns.join(', ')})`;
}

/**
 * 400 unless the history and future rows carry exactly the model's covariate columns. A model
 * without covariate columns refuses `future` (its calendar channels, if any, come from the dates).
 */
export function checkCovariateFields(body: PredictRequest, f: Forecaster, version: string): void {
  const columns = covariateColumns(f);
  if (body.future && columns.length === 0) {
    const calendar = f.preprocessor.covariates?.calendar;
    throw HttpError.badRequest(
      `model ${version} has no covariates${calendar ? ` (its ${calendar} calendar channels come from the dates)` : ''}: "future" has nothing to give it`,
      [{ path: 'future', message: `model ${version} reads no covariate columns` }],
      'leave out "future"',
    );
  }
  const issues: Issue[] = [];
  const check = (row: Record<string, unknown>, path: string, fixed: Set<string>) => {
    for (const field of Object.keys(row)) if (!fixed.has(field) && !columns.includes(field)) issues.push({ path: `${path}.${field}`, message: notAColumn(field, columns, version) });
    for (const c of columns) if (!(c in row)) issues.push({ path: `${path}.${c}`, message: `${c} is missing: model ${version} needs ${columns.join(', ')} in every row` });
  };
  body.history?.forEach((row, k) => check(row, `history.${k}`, TARGET_FIELDS));
  body.future?.forEach((row, k) => check(row, `future.${k}`, new Set(['date'])));
  if (issues.length > 0) {
    throw HttpError.badRequest(`invalid covariates: ${issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`, issues.slice(0, MAX_ISSUES), 'see the "future" and "history" fields in /openapi.json');
  }
}

/**
 * The series with the request's future covariates in place of any it had (the server's
 * --future file): a copy, the served dataset is left as it is.
 */
export function withFuture(ref: SeriesRef, future: NonNullable<PredictRequest['future']>, columns: readonly string[]): SeriesRef {
  const s0 = ref.ds.series[ref.index];
  const series = { ...s0, covariates: s0.covariates?.map((a) => a.subarray(0, s0.length)) };
  const ds = { ...ref.ds, series: [series] };
  const collect = futureCovariates(ds);
  future.forEach((row, k) => {
    const day = parseDay(row.date);
    if (day === undefined) throw HttpError.badRequest(`future[${k}].date: ${row.date} is not a calendar date`, [{ path: `future.${k}.date`, message: 'YYYY-MM-DD' }]);
    collect.add({ day, produto: series.produto, regiao: series.regiao, covariates: columns.map((c) => row[c] as number) });
  });
  collect.finish();
  return { ds, index: 0 };
}

/** 422 naming the series and the forecast weeks (the model's whole horizon) that lack covariates. */
export function checkFutureWeeks(f: Forecaster, ref: SeriesRef, version: string): void {
  const spec = f.preprocessor.covariates;
  if (!spec || spec.columns.length === 0) return;
  const H = f.meta.horizon;
  const [m] = missingFutureWeeks(ref.ds, spec, forecastRefs(ref.ds, { series: [ref.index] }), H);
  if (!m) return;
  const example = `{"date": "${m.weeks[0]}", ${spec.columns.map((c) => `"${c}": …`).join(', ')}}`;
  throw new HttpError(
    422,
    'unprocessable',
    missingFutureMessage(ref.ds, spec, m, H),
    `model ${version} reads the covariates of all ${H} forecast weeks (whatever the horizon asked): send "future": [${example}, …] with a row for each of them`,
  );
}
