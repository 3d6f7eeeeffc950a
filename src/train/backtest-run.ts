/**
 * `ttm backtest` as a library call: cross-validation over N cutoffs `step` weeks apart. At each
 * cutoff the data is cut after that week, a model is trained on what remains (or, with
 * `refit: false`, one model trained at the earliest cutoff serves them all), and it forecasts the
 * `horizon` weeks after the cutoff, which are scored against the actuals and the baselines. Only
 * weeks after each cutoff are scored: nothing a model trained on is ever counted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cutDataset, formatDay, readObservations, seriesEnd, type CsvDialectRequest, type DataSource, type MissingPolicy, type WeeklyDataset, type WindowRef } from '../data/index.js';
import { ConfigError, DataError } from '../errors.js';
import { cvRows, summarizeCv, type CvCutoff, type CvRow, type CvSummary, type CvWindow } from '../evaluate/index.js';
import { loadForecaster } from '../predict/index.js';
import { forecastSeries, MIN_HISTORY_WEEKS } from '../predict/index.js';
import type { FitEvent } from './fit.js';
import { trainModel, type TrainInfoEvent, type TrainOptions } from './train-model.js';

export interface BacktestOptions {
  /** a CSV path or a DataSource (CSV or PostgreSQL) */
  data: string | DataSource;
  /** the data already loaded (read from `data` otherwise), e.g. after the quality gate */
  dataset?: WeeklyDataset;
  csv?: CsvDialectRequest;
  missing: MissingPolicy;
  /** number of cutoffs */
  windows: number;
  /** weeks between cutoffs */
  step: number;
  /** weeks scored after each cutoff (and the models' horizon) */
  horizon: number;
  /** a model per cutoff (true) or one at the earliest cutoff for all (false) */
  refit: boolean;
  /** interval level whose coverage is reported */
  level: number;
  /** models go to <work>/models/cutoff-<date>/, their logs to <work>/runs/ */
  work: string;
  /** reuse a cutoff's model already in <work>/models/ (an interrupted backtest goes on where it stopped) */
  resume?: boolean;
  /** training options (horizon, data and folders are set here) */
  train: Omit<TrainOptions, 'data' | 'dataset' | 'output' | 'results' | 'horizon' | 'onEvent' | 'holdout' | 'until' | 'csv'>;
  onEvent?: (e: BacktestEvent) => void;
}

export type BacktestEvent =
  | { type: 'cutoff'; index: number; of: number; cutoff: string; trainWeeks: number; series: number; training: boolean; reused?: boolean }
  | { type: 'train'; cutoff: string; event: FitEvent | TrainInfoEvent }
  | { type: 'scored'; cutoff: string; windows: number; seconds: number };

export interface BacktestResult {
  file: string;
  cutoffs: CvCutoff[];
  rows: CvRow[];
  summary: CvSummary;
  /** models trained */
  trained: number;
  seconds: number;
}

/** Calendar week of each cutoff's first scored week, oldest first (the latest ends with the data). */
export function cutoffOrigins(ds: WeeklyDataset, o: { windows: number; step: number; horizon: number }): number[] {
  const latest = ds.weeks - o.horizon;
  const origins = Array.from({ length: o.windows }, (_, k) => latest - (o.windows - 1 - k) * o.step);
  if (origins[0] < 2 * o.horizon) {
    const need = (o.windows - 1) * o.step + 3 * o.horizon;
    throw new ConfigError(`${ds.file}: ${o.windows} cutoff(s) ${o.step} weeks apart with horizon ${o.horizon} need about ${need} weeks; the data has ${ds.weeks}`, {
      hint: 'use fewer cutoffs, fewer weeks between them, a shorter horizon, or a longer history (the earliest model needs a horizon of training and one of validation weeks)',
      param: 'cutoffs',
    });
  }
  return origins;
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  const t0 = performance.now();
  const ds = o.dataset ?? (await readObservations(o.data, { missing: o.missing, csv: o.csv }));
  const origins = cutoffOrigins(ds, o);
  const C = ds.channels.length;
  const H = o.horizon;
  const cutoffs: CvCutoff[] = [];
  let model: string | undefined;
  let trained = 0;
  for (const [index, origin] of origins.entries()) {
    const cut = cutDataset(ds, origin - 1);
    const cutoff = formatDay(ds.firstWeek + 7 * (origin - 1));
    const training = o.refit || model === undefined;
    const dir = join(o.work, 'models', `cutoff-${cutoff}`);
    const reused = training && o.resume === true && existsSync(join(dir, 'forecaster.json'));
    o.onEvent?.({ type: 'cutoff', index: index + 1, of: origins.length, cutoff, trainWeeks: cut.weeks, series: cut.series.length, training: training && !reused, reused });
    if (reused) model = dir;
    else if (training) {
      model = dir;
      await trainModel({
        ...o.train,
        data: o.data,
        dataset: cut,
        horizon: H,
        output: model,
        results: join(o.work, 'runs', `cutoff-${cutoff}`),
        onEvent: (event) => o.onEvent?.({ type: 'train', cutoff, event }),
      });
      trained++;
    }
    const t1 = performance.now();
    const f = await loadForecaster(model!);
    try {
      const known = new Set(f.preprocessor.vocab.regiao);
      const full = new Map(ds.series.map((s) => [`${s.produto}:${s.regiao}`, s]));
      // Series with enough history before the origin and every scored week observed after it.
      const refs: WindowRef[] = [];
      cut.series.forEach((s, i) => {
        const whole = full.get(`${s.produto}:${s.regiao}`)!;
        const at = origin - whole.start;
        if (at < MIN_HISTORY_WEEKS || origin + H - 1 > seriesEnd(whole) || !known.has(s.regiao)) return;
        for (let t = at; t < at + H; t++) if (!whole.observed[t]) return;
        refs.push({ series: i, origin });
      });
      if (refs.length === 0) throw new DataError(`${ds.file}: no series has ${H} observed weeks after the cutoff ${cutoff}`, { hint: 'forecast fewer weeks or put the cutoffs closer together', param: 'cutoffs' });
      const fc = await forecastSeries(f, cut, refs);
      const split = (x: Float64Array) => Array.from({ length: C }, (_, c) => Float64Array.from({ length: H }, (_, h) => x[h * C + c]));
      const windows: CvWindow[] = refs.map((r, k) => {
        const s = cut.series[r.series];
        const whole = full.get(`${s.produto}:${s.regiao}`)!;
        const at = origin - whole.start;
        return {
          produto: s.produto,
          regiao: s.regiao,
          history: s.values.map((v) => v.subarray(0, origin - s.start)),
          actual: whole.values.map((v) => v.slice(at, at + H)),
          ttm: split(fc.values[k]),
          ttmModelOnly: split(fc.modelValues[k]),
        };
      });
      const calibration = f.meta.calibration;
      const dates = Array.from({ length: H }, (_, h) => formatDay(ds.firstWeek + 7 * (origin + h)));
      cutoffs.push({ cutoff, dates, model: model!, calibration, windows });
      o.onEvent?.({ type: 'scored', cutoff, windows: windows.length, seconds: (performance.now() - t1) / 1000 });
    } finally {
      f.model.dispose();
    }
  }
  return {
    file: ds.file,
    cutoffs,
    rows: cvRows(cutoffs, ds.channels, o.level),
    summary: summarizeCv(cutoffs, ds.channels, o.level),
    trained,
    seconds: (performance.now() - t0) / 1000,
  };
}
