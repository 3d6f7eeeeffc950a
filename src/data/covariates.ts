/**
 * Future-known covariates as the model's exogenous channels: the user's columns, the inputs a
 * practitioner derives from them (relative price, price cut) and calendar facts. One function,
 * `exogenousAt`, computes them for training, validation, evaluation and prediction alike, from
 * the spec saved in preprocessor.json: nothing is recomputed differently at predict time.
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { calendarValues, CALENDAR_CHANNELS, checkCountry } from './calendar.js';
import type { Series, WeeklyDataset } from './series.js';
import { formatDay } from './weeks.js';

/** Derived inputs, computed when the columns they need are declared. */
export const DERIVED = {
  /** price / base_price: 1 at the regular price, 0.8 at a 20% cut */
  relative_price: ['price', 'base_price'],
  /** 1 when price is at least 2% below base_price (a cut a shopper notices; cent-level noise is not) */
  price_cut: ['price', 'base_price'],
} as const;
export type DerivedName = keyof typeof DERIVED;

export const CovariateSpecSchema = z.object({
  /** the CSV columns, in declaration order */
  columns: z.array(z.string()),
  derived: z.array(z.enum(Object.keys(DERIVED) as [DerivedName, ...DerivedName[]])),
  /** country code of the calendar channels, or null for none */
  calendar: z.string().nullable(),
  /**
   * columns read only to derive inputs, not fed as channels themselves: price and base_price
   * when relative_price and price_cut come from them (absent in models trained before: none)
   */
  inputs_only: z.array(z.string()).optional(),
  /** exogenous channel names in model order: columns (less inputs_only), derived, calendar */
  names: z.array(z.string()),
  /** per exogenous channel, pooled over the training weeks of the training series */
  mean: z.array(z.number()),
  std: z.array(z.number()),
});
export type CovariateSpec = z.infer<typeof CovariateSpecSchema>;

/**
 * Which exogenous channels a set of columns and a calendar choice give (scales not yet fitted).
 * When price and base_price are declared, their levels feed relative_price and price_cut and are
 * not channels themselves: measured on dunnhumby's promo set (docs/training.md, runs Q1 and Q4),
 * the same model with the two level channels scored WAPE 0.379 / 0.374 and without them 0.348 /
 * 0.353. A shelf price level mostly names the product (the window scaler already removes the
 * sales level), and the realized price carries cent-level noise that is not known in advance.
 * `inputsOnly` given: that choice as stored with a model (older models: none).
 */
export function covariateChannels(
  columns: readonly string[],
  calendar: string | null,
  inputsOnly?: readonly string[],
): Pick<CovariateSpec, 'columns' | 'derived' | 'calendar' | 'names' | 'inputs_only'> {
  if (calendar !== null) checkCountry(calendar);
  const derived = (Object.keys(DERIVED) as DerivedName[]).filter((d) => DERIVED[d].every((c) => columns.includes(c)));
  const only = inputsOnly ?? [...new Set(derived.flatMap((d) => DERIVED[d]))];
  const fed = columns.filter((c) => !only.includes(c));
  return { columns: [...columns], derived, calendar, inputs_only: [...only], names: [...fed, ...derived, ...(calendar === null ? [] : CALENDAR_CHANNELS)] };
}

/** Number of exogenous channels of a spec (0 without one). */
export function exogenousCount(spec: Pick<CovariateSpec, 'names'> | undefined): number {
  return spec?.names.length ?? 0;
}

/**
 * Unscaled exogenous values of series `s` at position `pos` (0 = its first week; may be past its
 * end, in the future covariates) whose week starts on day number `day`, into `out`. Returns false
 * when a user column has no value there.
 */
export function exogenousAt(spec: Pick<CovariateSpec, 'columns' | 'derived' | 'calendar' | 'inputs_only'>, s: Series, pos: number, day: number, out: number[]): boolean {
  out.length = 0;
  const col = (name: string) => s.covariates?.[spec.columns.indexOf(name)]?.[pos] ?? Number.NaN;
  for (let k = 0; k < spec.columns.length; k++) {
    const x = s.covariates?.[k]?.[pos] ?? Number.NaN;
    if (Number.isNaN(x)) return false;
    if (!spec.inputs_only?.includes(spec.columns[k])) out.push(x);
  }
  for (const d of spec.derived) {
    const ratio = relative(col('price'), col('base_price'));
    out.push(d === 'relative_price' ? ratio : ratio < 0.98 ? 1 : 0);
  }
  if (spec.calendar !== null) out.push(...calendarValues(spec.calendar, day));
  return true;
}

/** price / base_price, 1 when the base price is not positive (no regular price to compare). */
function relative(price: number, base: number): number {
  return base > 0 ? price / base : 1;
}

/** Fits the exogenous channels' mean and std on weeks <= trainThrough of the chosen series. */
export function fitCovariates(ds: WeeklyDataset, columns: readonly string[], calendar: string | null, trainThrough: number, chosen: readonly number[]): CovariateSpec {
  const base = covariateChannels(columns, calendar);
  const E = base.names.length;
  const sum = new Array<number>(E).fill(0);
  const sq = new Array<number>(E).fill(0);
  let n = 0;
  const row: number[] = [];
  for (const i of chosen) {
    const s = ds.series[i];
    const last = Math.min(s.length - 1, trainThrough - s.start);
    for (let t = 0; t <= last; t++) {
      if (!exogenousAt(base, s, t, ds.firstWeek + 7 * (s.start + t), row)) continue;
      n++;
      for (let e = 0; e < E; e++) {
        sum[e] += row[e];
        sq[e] += row[e] ** 2;
      }
    }
  }
  const mean = sum.map((x) => (n > 0 ? x / n : 0));
  const std = sum.map((x, e) => {
    const v = n > 1 ? Math.max(sq[e] / n - (x / n) ** 2, 0) : 0;
    return Math.sqrt(v) > 1e-8 ? Math.sqrt(v) : 1;
  });
  return { ...base, mean, std };
}

/** A window whose horizon lacks covariate values: its series and the weeks (YYYY-MM-DD). */
export interface MissingFuture {
  series: number;
  weeks: string[];
}

/** The windows' horizon weeks whose user covariates are unknown, per window (none: all there). */
export function missingFutureWeeks(ds: WeeklyDataset, spec: CovariateSpec, windows: readonly { series: number; origin: number }[], horizon: number): MissingFuture[] {
  if (spec.columns.length === 0) return [];
  const out: MissingFuture[] = [];
  const row: number[] = [];
  for (const w of windows) {
    const s = ds.series[w.series];
    const weeks: string[] = [];
    for (let h = 0; h < horizon; h++) {
      const week = w.origin + h;
      if (!exogenousAt(spec, s, week - s.start, ds.firstWeek + 7 * week, row)) weeks.push(formatDay(ds.firstWeek + 7 * week));
    }
    if (weeks.length > 0) out.push({ series: w.series, weeks });
  }
  return out;
}

/** "produto 1 regiao 0: all 4 weeks 2024-05-06 … 2024-05-27", or the weeks one by one. */
export function describeMissing(ds: WeeklyDataset, m: MissingFuture, horizon: number): string {
  const s = ds.series[m.series];
  const w = m.weeks;
  return `produto ${s.produto} regiao ${s.regiao}: ${w.length === horizon ? `all ${horizon} weeks ${w[0]} … ${w[w.length - 1]}` : w.join(', ')}`;
}

/** "future values of price, feature are missing for produto 1 regiao 0: …": one series' gap, as predict and serve report it. */
export function missingFutureMessage(ds: WeeklyDataset, spec: Pick<CovariateSpec, 'columns'>, m: MissingFuture, horizon: number): string {
  return `future values of ${spec.columns.join(', ')} are missing for ${describeMissing(ds, m, horizon)}`;
}

/**
 * Series and weeks of the windows' horizons whose covariates are unknown, as one DataError that
 * names them (the first 20 series), or nothing when every value is there.
 */
export function checkFutureCovariates(ds: WeeklyDataset, spec: CovariateSpec, windows: readonly { series: number; origin: number }[], horizon: number, source: string): void {
  const all = missingFutureWeeks(ds, spec, windows, horizon);
  if (all.length === 0) return;
  const missing = all.slice(0, 20).map((m) => describeMissing(ds, m, horizon));
  throw new DataError(`${source}: future values of ${spec.columns.join(', ')} are missing for ${all.length} series:\n  ${missing.join('\n  ')}${all.length > missing.length ? `\n  … and ${all.length - missing.length} more` : ''}`, {
    hint: `pass --future FILE with date, produto_cat, uf_cat, ${spec.columns.join(', ')} for every forecast week of every series`,
  });
}
