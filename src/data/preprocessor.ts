/**
 * Per-series standard scaling (fitted on training weeks only) and the categorical vocabulary,
 * saved as preprocessor.json. `preprocessorToJSON` / `preprocessorFromJSON` are exact inverses.
 * TTM's own per-window scaler runs after this one; docs/data.md explains how the two combine.
 */
import { DataError } from '../errors.js';
import { CHANNELS, seriesId } from './series.js';
import type { SeriesKey, WeeklyDataset } from './series.js';
import { covariateChannels, CovariateSpecSchema, fitCovariates } from './covariates.js';
import type { CovariateSpec } from './covariates.js';
import { buildVocab } from './vocab.js';
import type { Vocab } from './vocab.js';
import { formatDay, WEEKDAYS } from './weeks.js';
import type { Weekday } from './weeks.js';

/** 'standard': (x - mean) / std per series and channel; 'none': raw values (TTM scales alone). */
export type Scaling = 'standard' | 'none';

export interface ScaleStats {
  mean: number[];
  std: number[];
}

export interface SeriesScale extends SeriesKey, ScaleStats {}

export interface Preprocessor {
  format: 'ttm-preprocessor';
  version: 1;
  channels: string[];
  scaling: Scaling;
  weekStart: Weekday;
  /** last week (its start date) whose values were used for fitting */
  fittedThrough: string;
  vocab: Vocab;
  series: SeriesScale[];
  /** pooled over the training series: used for series that had no training week */
  fallback: ScaleStats;
  /** the exogenous channels (future-known covariates) and their scaling; absent: none */
  covariates?: CovariateSpec;
}

export interface FitOptions {
  scaling?: Scaling;
  /** last calendar week (inclusive) the statistics may see: the training cutoff */
  trainThrough?: number;
  /** indices of the series to fit on (default: all); the vocabulary always covers every series */
  series?: readonly number[];
  /** covariate columns of the dataset to use and the calendar country (null: no calendar) */
  covariates?: { columns: readonly string[]; calendar: string | null };
}

/** Fits the scaler on observed weeks <= trainThrough of the chosen series. */
export function fitPreprocessor(ds: WeeklyDataset, options: FitOptions = {}): Preprocessor {
  const { scaling = 'standard', trainThrough = ds.weeks - 1 } = options;
  const chosen = options.series ?? ds.series.map((_, i) => i);
  const C = ds.channels.length;
  const pooled = { n: 0, sum: new Array<number>(C).fill(0), sq: new Array<number>(C).fill(0) };
  const series: SeriesScale[] = [];
  for (const i of chosen) {
    const s = ds.series[i];
    const last = Math.min(s.length - 1, trainThrough - s.start);
    const stats: ScaleStats = { mean: [], std: [] };
    let n = 0;
    for (let t = 0; t <= last; t++) n += s.observed[t];
    if (n === 0) continue;
    for (let c = 0; c < C; c++) {
      let sum = 0;
      let sq = 0;
      for (let t = 0; t <= last; t++) {
        if (!s.observed[t]) continue;
        sum += s.values[c][t];
        sq += s.values[c][t] ** 2;
      }
      pooled.sum[c] += sum;
      pooled.sq[c] += sq;
      stats.mean.push(sum / n);
      stats.std.push(safeStd(sum, sq, n));
    }
    pooled.n += n;
    series.push({ produto: s.produto, regiao: s.regiao, ...stats });
  }
  const fallback: ScaleStats = {
    mean: pooled.sum.map((x) => (pooled.n > 0 ? x / pooled.n : 0)),
    std: pooled.sum.map((x, c) => safeStd(x, pooled.sq[c], pooled.n)),
  };
  return {
    format: 'ttm-preprocessor',
    version: 1,
    channels: [...ds.channels],
    scaling,
    weekStart: ds.weekStart,
    fittedThrough: formatDay(ds.firstWeek + 7 * trainThrough),
    vocab: buildVocab(ds.series),
    series,
    fallback,
    ...(options.covariates && (options.covariates.columns.length > 0 || options.covariates.calendar !== null)
      ? { covariates: fitCovariates(ds, options.covariates.columns, options.covariates.calendar, trainThrough, chosen) }
      : {}),
  };
}

/** Population std from sums; 1 when it is undefined or (near) zero, so scaling never divides by 0. */
function safeStd(sum: number, sq: number, n: number): number {
  if (n < 2) return 1;
  const v = Math.max(sq / n - (sum / n) ** 2, 0);
  const sd = Math.sqrt(v);
  return sd > 1e-8 ? sd : 1;
}

/** Scale lookup by series id; `scaling: 'none'` gives mean 0, std 1 for everyone. */
export function scaleLookup(pre: Preprocessor): (key: SeriesKey) => ScaleStats {
  if (pre.scaling === 'none') {
    const identity = { mean: pre.channels.map(() => 0), std: pre.channels.map(() => 1) };
    return () => identity;
  }
  const byId = new Map(pre.series.map((s) => [seriesId(s), { mean: s.mean, std: s.std }]));
  return (key) => byId.get(seriesId(key)) ?? pre.fallback;
}

/** Values of one channel back in original units: x * std + mean. */
export function unscale(pre: Preprocessor, key: SeriesKey, channel: number, values: ArrayLike<number>): Float64Array {
  const { mean, std } = scaleLookup(pre)(key);
  return Float64Array.from(values, (x) => x * std[channel] + mean[channel]);
}

/** preprocessor.json text (2-space indented, fixed key order, snake_case keys as every file the tool writes). */
export function preprocessorToJSON(pre: Preprocessor): string {
  const ordered = {
    schema_version: 2,
    format: pre.format,
    version: pre.version,
    channels: pre.channels,
    scaling: pre.scaling,
    week_start: pre.weekStart,
    fitted_through: pre.fittedThrough,
    vocab: { regiao: pre.vocab.regiao, produto: pre.vocab.produto },
    series: pre.series.map((s) => ({ produto: s.produto, regiao: s.regiao, mean: s.mean, std: s.std })),
    fallback: { mean: pre.fallback.mean, std: pre.fallback.std },
    ...(pre.covariates ? { covariates: CovariateSpecSchema.parse(pre.covariates) } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Parses and checks preprocessor.json text; `source` names the file in errors. */
export function preprocessorFromJSON(text: string, source = 'preprocessor.json'): Preprocessor {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${source}: not valid JSON (${(err as Error).message})`, { hint: 'the file is damaged; save the model again', cause: err });
  }
  const fail = (what: string): never => {
    throw new DataError(`${source}: ${what}`, { hint: 'the file was not written by this version of ttm, or was edited by hand' });
  };
  const written = raw as Record<string, unknown>;
  // schema_version 2 writes week_start and fitted_through; version-1 files have weekStart and fittedThrough.
  const p = (written && typeof written === 'object' && 'week_start' in written ? fromSnake(written) : written) as Preprocessor;
  if (typeof p !== 'object' || p === null || p.format !== 'ttm-preprocessor') fail('"format" is not "ttm-preprocessor"');
  if (p.version !== 1) fail(`unsupported version ${String(p.version)} (expected 1)`);
  if (!Array.isArray(p.channels) || p.channels.join() !== CHANNELS.join()) fail(`"channels" must be ${JSON.stringify(CHANNELS)}`);
  if (p.scaling !== 'standard' && p.scaling !== 'none') fail(`"scaling" must be "standard" or "none", got ${JSON.stringify(p.scaling)}`);
  if (!WEEKDAYS.includes(p.weekStart)) fail(`"weekStart" must be a weekday name, got ${JSON.stringify(p.weekStart)}`);
  if (typeof p.fittedThrough !== 'string') fail('"fittedThrough" is missing');
  if (!isNumbers(p.vocab?.regiao) || !isNumbers(p.vocab?.produto)) fail('"vocab.regiao" and "vocab.produto" must be number arrays');
  const C = p.channels.length;
  const isStats = (s: ScaleStats) => isNumbers(s?.mean) && isNumbers(s?.std) && s.mean.length === C && s.std.length === C;
  if (!isStats(p.fallback)) fail(`"fallback" needs mean and std of length ${C}`);
  if (!Array.isArray(p.series)) fail('"series" must be an array');
  p.series.forEach((s, i) => {
    if (!Number.isInteger(s?.produto) || !Number.isInteger(s?.regiao) || !isStats(s)) fail(`series[${i}] needs integer produto, regiao and mean/std of length ${C}`);
  });
  if (p.covariates !== undefined) {
    const c = CovariateSpecSchema.safeParse(p.covariates);
    if (!c.success) fail(`"covariates": ${c.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    else {
      const E = c.data.names.length;
      if (c.data.mean.length !== E || c.data.std.length !== E) fail(`"covariates" needs mean and std of length ${E}`);
      const expected = covariateChannels(c.data.columns, c.data.calendar, c.data.inputs_only ?? []);
      if (expected.names.join() !== c.data.names.join()) fail(`"covariates.names" ${JSON.stringify(c.data.names)} do not follow from its columns and calendar (${JSON.stringify(expected.names)})`);
      p.covariates = c.data;
    }
  }
  return p;
}

function isNumbers(xs: unknown): xs is number[] {
  return Array.isArray(xs) && xs.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** The library's form of a schema-version-2 file (week_start, fitted_through). */
function fromSnake(w: Record<string, unknown>): Preprocessor {
  const { schema_version: _v, week_start, fitted_through, ...rest } = w;
  return { ...rest, weekStart: week_start, fittedThrough: fitted_through } as unknown as Preprocessor;
}
