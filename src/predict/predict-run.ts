/**
 * `ttm predict` as a library call: the weeks after each chosen series' last week, point forecasts
 * and conformal intervals at the requested levels from the calibration stored with the model,
 * in original units and never negative. One batched pass over all chosen series.
 */
import { readFile } from 'node:fs/promises';
import { checkFutureCovariates, formatDay, missingFutureMessage, missingFutureWeeks, forecastRefs, seriesEnd, seriesId, type SeriesKey, type WeeklyDataset } from '../data/index.js';
import { DataError } from '../errors.js';
import { conformalInterval } from './conformal.js';
import { forecastSeries, type Forecaster } from './forecaster.js';
import type { ForecastPool } from './parallel-forecast.js';

/**
 * Fewest weeks of history a series needs: training's default --min-context, so the model never
 * forecasts from less real history than its training windows had.
 */
export const MIN_HISTORY_WEEKS = 13;

export interface PredictOptions {
  /** weeks to report, 1 … the model's horizon (default all) */
  horizon?: number;
  /** interval levels, e.g. [0.9] or [0.8, 0.95] */
  levels: number[];
  batchSize?: number;
  /** worker threads sharing the batches (parallel-forecast.ts), started on the forecaster's model */
  pool?: ForecastPool;
  /**
   * a series whose forecast weeks lack covariate values: 'error' (default) = one DataError naming
   * every such series and week; 'skip' = listed in `skipped` (the dashboard forecasts the rest)
   */
  missingFuture?: 'error' | 'skip';
}

export interface SeriesPrediction extends SeriesKey {
  /** date of the series' last week with data */
  lastWeek: string;
  /** forecast weeks' start dates */
  dates: string[];
  /** channel → H values */
  values: Record<string, number[]>;
  /** level name ("90") → channel → { lo, hi } per step; hi is Infinity when the calibration is too small for the level */
  intervals: Record<string, Record<string, { lo: number[]; hi: number[] }>>;
}

export interface PredictResult {
  horizon: number;
  channels: string[];
  levels: number[];
  predictions: SeriesPrediction[];
  /** series left out of an --all run because their history is too short */
  skipped: { key: SeriesKey; reason: string }[];
  modelSeconds: number;
  seconds: number;
}

/** "90" for 0.9, "97.5" for 0.975: the level in column names. */
export function levelName(level: number): string {
  return String(Math.round(level * 1000) / 10);
}

const few = (xs: readonly number[]) => `${xs.slice(0, 12).join(', ')}${xs.length > 12 ? ', …' : ''} (${xs.length} in all)`;

/** Index of the series with this key, or a DataError that lists what the data holds. */
export function findSeries(ds: WeeklyDataset, key: SeriesKey): number {
  const i = ds.series.findIndex((s) => s.produto === key.produto && s.regiao === key.regiao);
  if (i >= 0) return i;
  const produtos = [...new Set(ds.series.map((s) => s.produto))];
  const regioes = ds.series.filter((s) => s.produto === key.produto).map((s) => s.regiao);
  if (regioes.length === 0) {
    throw new DataError(`${ds.file}: produto_cat ${key.produto} is not in the data; produtos: ${few(produtos)}`, { hint: 'choose a produto from the produto_cat column of the data', param: 'produto' });
  }
  throw new DataError(`${ds.file}: produto_cat ${key.produto} has no rows for uf_cat ${key.regiao}; its regioes: ${few(regioes)}`, {
    hint: 'choose a regiao from the uf_cat values of that produto',
    param: 'regiao',
  });
}

/** Why series i cannot be forecast, or null. */
function unfit(f: Forecaster, ds: WeeklyDataset, i: number): string | null {
  const s = ds.series[i];
  let observed = 0;
  for (let t = 0; t < s.length; t++) observed += s.observed[t];
  if (observed < MIN_HISTORY_WEEKS) {
    return `series produto ${s.produto} regiao ${s.regiao} has ${observed} observed weeks (${formatDay(ds.firstWeek + 7 * s.start)} … ${formatDay(ds.firstWeek + 7 * seriesEnd(s))}); a forecast needs at least ${MIN_HISTORY_WEEKS}`;
  }
  if (!f.preprocessor.vocab.regiao.includes(s.regiao)) {
    return `uf_cat ${s.regiao} is not in the model's vocabulary (knows ${few(f.preprocessor.vocab.regiao)})`;
  }
  return null;
}

/**
 * Forecasts the series `which` (indices into ds.series). With `strict`, a series that cannot be
 * forecast is a DataError; otherwise it is listed in `skipped`.
 */
export async function predictSeries(f: Forecaster, ds: WeeklyDataset, which: readonly number[], o: PredictOptions & { strict?: boolean }): Promise<PredictResult> {
  const t0 = performance.now();
  const full = f.meta.horizon;
  const H = o.horizon ?? full;
  if (!(Number.isInteger(H) && H >= 1 && H <= full)) throw new DataError(`horizon ${H}: the model forecasts 1 … ${full} weeks`, { hint: `ask for 1 … ${full} weeks`, param: 'horizon' });
  const skipped: PredictResult['skipped'] = [];
  const ok: number[] = [];
  for (const i of which) {
    const reason = unfit(f, ds, i);
    if (!reason) ok.push(i);
    else if (o.strict) throw new DataError(`${ds.file}: ${reason}`, { hint: 'choose another series or provide a longer history' });
    else skipped.push({ key: { produto: ds.series[i].produto, regiao: ds.series[i].regiao }, reason });
  }
  let refs = forecastRefs(ds, { series: ok });
  // The model reads every step of its horizon's covariates, whatever --horizon reports.
  const spec = f.preprocessor.covariates;
  if (spec && o.missingFuture === 'skip') {
    const missing = new Map(missingFutureWeeks(ds, spec, refs, full).map((m) => [m.series, m]));
    for (const m of missing.values()) {
      const s = ds.series[m.series];
      skipped.push({ key: { produto: s.produto, regiao: s.regiao }, reason: missingFutureMessage(ds, spec, m, full) });
    }
    refs = refs.filter((r) => !missing.has(r.series));
  } else if (spec) checkFutureCovariates(ds, spec, refs, full, ds.file);
  const fc = await forecastSeries(f, ds, refs, o.batchSize, o.pool);
  const C = ds.channels.length;
  const calibration = f.meta.calibration;
  const predictions = refs.map((r, k): SeriesPrediction => {
    const s = ds.series[r.series];
    const values: Record<string, number[]> = {};
    const intervals: SeriesPrediction['intervals'] = {};
    ds.channels.forEach((ch, c) => {
      const v = Float64Array.from({ length: H }, (_, h) => Math.max(0, fc.values[k][h * C + c]));
      values[ch] = [...v];
      for (const level of o.levels) {
        const iv = conformalInterval(calibration[c], v, s.values[c], level);
        (intervals[levelName(level)] ??= {})[ch] = { lo: [...iv.lower], hi: [...iv.upper] };
      }
    });
    return {
      produto: s.produto,
      regiao: s.regiao,
      lastWeek: formatDay(ds.firstWeek + 7 * seriesEnd(s)),
      dates: Array.from({ length: H }, (_, h) => formatDay(ds.firstWeek + 7 * (r.origin + h))),
      values,
      intervals,
    };
  });
  return { horizon: H, channels: [...ds.channels], levels: o.levels, predictions, skipped, modelSeconds: fc.modelSeconds, seconds: (performance.now() - t0) / 1000 };
}

/** Rows of the forecast CSV: date, produto_cat, uf_cat, channels, then per level each channel's lo and hi. */
export function predictionsCsv(r: PredictResult): string {
  const names = r.levels.map(levelName);
  const header = ['date', 'produto_cat', 'uf_cat', ...r.channels];
  for (const n of names) for (const ch of r.channels) header.push(`${ch}_lo_${n.replace('.', '_')}`, `${ch}_hi_${n.replace('.', '_')}`);
  const cell = (x: number) => (Number.isFinite(x) ? String(Number(x.toFixed(4))) : '');
  const lines = [header.join(',')];
  for (const p of r.predictions) {
    p.dates.forEach((date, h) => {
      const row: (string | number)[] = [date, p.produto, p.regiao, ...r.channels.map((ch) => cell(p.values[ch][h]))];
      for (const n of names) for (const ch of r.channels) row.push(cell(p.intervals[n][ch].lo[h]), cell(p.intervals[n][ch].hi[h]));
      lines.push(row.join(','));
    });
  }
  return `${lines.join('\n')}\n`;
}

/** Reads a --pairs file: a CSV with produto_cat and uf_cat columns (header required). */
export async function readPairs(file: string): Promise<SeriesKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new DataError(`${file}: cannot read the pairs file`, { cause, hint: 'a CSV with columns produto_cat,uf_cat' });
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const ip = header.indexOf('produto_cat');
  const ir = header.indexOf('uf_cat');
  if (ip < 0 || ir < 0) throw new DataError(`${file}:1: columns produto_cat and uf_cat expected (has: ${header.join(', ')})`, { hint: 'first line: produto_cat,uf_cat' });
  const seen = new Set<string>();
  const out: SeriesKey[] = [];
  lines.slice(1).forEach((line, k) => {
    const f = line.split(',');
    const key = { produto: Number(f[ip]), regiao: Number(f[ir]) };
    if (!Number.isInteger(key.produto) || !Number.isInteger(key.regiao)) {
      throw new DataError(`${file}:${k + 2}: "${line}" does not hold two integer codes`, { hint: 'one produto_cat,uf_cat pair per line' });
    }
    if (!seen.has(seriesId(key))) out.push(key);
    seen.add(seriesId(key));
  });
  if (out.length === 0) throw new DataError(`${file}: no pairs after the header`);
  return out;
}
