/**
 * Scoring of a cross-validation (`ttm backtest`): at each cutoff a model that saw only the weeks
 * up to the cutoff forecasts the H weeks after it; the model and the baselines are scored on
 * exactly those weeks. Results come three ways, as neuralforecast's and statsforecast's
 * `cross_validation` give them: long rows (one per cutoff x series x step x channel, for a
 * notebook), and summaries per cutoff, per horizon step and per series.
 */
import { BASELINES } from './baselines.js';
import { conformalInterval, type ConformalCalibration } from '../predict/index.js';
import { coverage } from './coverage.js';
import { wape, mae, rmse, bias, mase, type WindowForecast } from './metrics.js';
import { DataError } from '../errors.js';

/** The baselines scored beside the model (the 13-week median is the one to beat on retail data). */
export const CV_BASELINES = ['median13', 'naive', 'snaive52', 'mean52'] as const;

/** One series' window at one cutoff, per channel: history before the origin, actuals after it, forecasts. */
export interface CvWindow {
  produto: number;
  regiao: number;
  /** per channel */
  history: Float64Array[];
  /** per channel, H actuals */
  actual: Float64Array[];
  /** per channel, H forecasts of the tool (blended) and of the model alone */
  ttm: Float64Array[];
  ttmModelOnly: Float64Array[];
}

export interface CvCutoff {
  /** last week the model trained on (YYYY-MM-DD) */
  cutoff: string;
  /** dates of the H scored weeks */
  dates: string[];
  /** the model that forecast (a directory) */
  model: string;
  /** per channel conformal calibration of that model, for interval coverage */
  calibration: ConformalCalibration[];
  windows: CvWindow[];
}

export interface CvRow {
  cutoff: string;
  date: string;
  step: number;
  produto_cat: number;
  uf_cat: number;
  channel: string;
  actual: number;
  /** method → forecast */
  forecasts: Record<string, number>;
  lo: number;
  hi: number;
}

export interface CvScore {
  wape: number;
  mae: number;
  rmse: number;
  bias: number;
  mase: number;
  n_points: number;
}

export interface CvSummary {
  horizon: number;
  level: number;
  channels: string[];
  methods: string[];
  /** per cutoff: method → channel → score, plus interval coverage of ttm */
  by_cutoff: { cutoff: string; model: string; first_week: string; last_week: string; series: number; scores: Record<string, Record<string, CvScore>>; coverage: Record<string, number> }[];
  /** per horizon step 1 … H: method → channel → WAPE over every cutoff */
  by_step: { step: number; wape: Record<string, Record<string, number>> }[];
  /** per series: method → channel → WAPE over every cutoff */
  by_series: { produto: number; regiao: number; wape: Record<string, Record<string, number>> }[];
  /** every cutoff pooled: method → channel → score */
  overall: Record<string, Record<string, CvScore>>;
}

const METHODS = ['ttm', 'ttm_model_only', ...CV_BASELINES] as const;

const memo = new WeakMap<CvWindow, Record<string, Float64Array>[]>();

/** Forecasts of every method for window w, channel c (baselines computed once per window). */
function methodForecasts(w: CvWindow, c: number, H: number): Record<string, Float64Array> {
  let cached = memo.get(w);
  if (!cached) memo.set(w, (cached = []));
  if (!cached[c]) {
    const out: Record<string, Float64Array> = { ttm: w.ttm[c], ttm_model_only: w.ttmModelOnly[c] };
    for (const b of CV_BASELINES) out[b] = baseline(b, w.history[c], H);
    cached[c] = out;
  }
  return cached[c];
}

/** A baseline's forecast, or NaN where the history is too short for it (seasonal naive needs 52 weeks). */
function baseline(name: (typeof CV_BASELINES)[number], history: Float64Array, H: number): Float64Array {
  try {
    return BASELINES[name](history, H);
  } catch (err) {
    if (err instanceof DataError) return new Float64Array(H).fill(Number.NaN);
    throw err;
  }
}

/** Scores over the windows the method could forecast (n_points says how many weeks that is). */
function score(all: WindowForecast[]): CvScore {
  const windows = all.filter((w) => Array.from(w.forecast).every(Number.isFinite));
  const a = windows.flatMap((w) => Array.from(w.actual));
  const f = windows.flatMap((w) => Array.from(w.forecast));
  return { wape: wape(a, f), mae: mae(a, f), rmse: rmse(a, f), bias: bias(a, f), mase: mase(windows), n_points: a.length };
}

/** Long rows: one per cutoff x series x step x channel. */
export function cvRows(cutoffs: readonly CvCutoff[], channels: readonly string[], level: number): CvRow[] {
  const rows: CvRow[] = [];
  for (const k of cutoffs) {
    const H = k.dates.length;
    for (const w of k.windows) {
      channels.forEach((channel, c) => {
        const m = methodForecasts(w, c, H);
        const iv = k.calibration[c] ? conformalInterval(k.calibration[c], w.ttm[c], w.history[c], level) : undefined;
        for (let h = 0; h < H; h++) {
          rows.push({
            cutoff: k.cutoff,
            date: k.dates[h],
            step: h + 1,
            produto_cat: w.produto,
            uf_cat: w.regiao,
            channel,
            actual: w.actual[c][h],
            forecasts: Object.fromEntries(METHODS.map((name) => [name, m[name][h]])),
            lo: iv ? iv.lower[h] : Number.NaN,
            hi: iv ? iv.upper[h] : Number.NaN,
          });
        }
      });
    }
  }
  return rows;
}

/** The rows as CSV text (numbers to 4 decimals, empty where there is none). */
export function cvRowsCsv(rows: readonly CvRow[], level: number): string {
  const name = String(Math.round(level * 100));
  const header = ['cutoff', 'date', 'step', 'produto_cat', 'uf_cat', 'channel', 'actual', ...METHODS, `ttm_lo_${name}`, `ttm_hi_${name}`];
  const cell = (x: number) => (Number.isFinite(x) ? String(Number(x.toFixed(4))) : '');
  const lines = [header.join(',')];
  for (const r of rows) {
    lines.push([r.cutoff, r.date, r.step, r.produto_cat, r.uf_cat, r.channel, cell(r.actual), ...METHODS.map((m) => cell(r.forecasts[m])), cell(r.lo), cell(r.hi)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Summaries per cutoff, per step, per series, and overall. */
export function summarizeCv(cutoffs: readonly CvCutoff[], channels: readonly string[], level: number): CvSummary {
  const H = cutoffs[0]?.dates.length ?? 0;
  const methods = [...METHODS];
  const perChannel = (ks: readonly CvCutoff[], pick: (w: CvWindow) => boolean = () => true) =>
    Object.fromEntries(
      methods.map((m) => [
        m,
        Object.fromEntries(
          channels.map((ch, c) => [ch, score(ks.flatMap((k) => k.windows.filter(pick).map((w) => ({ history: w.history[c], actual: w.actual[c], forecast: methodForecasts(w, c, H)[m] }))))]),
        ),
      ]),
    );
  const byCutoff = cutoffs.map((k) => ({
    cutoff: k.cutoff,
    model: k.model,
    first_week: k.dates[0],
    last_week: k.dates[k.dates.length - 1],
    series: k.windows.length,
    scores: perChannel([k]),
    coverage: Object.fromEntries(
      channels.map((ch, c) => {
        const a: number[] = [];
        const lo: number[] = [];
        const hi: number[] = [];
        for (const w of k.windows) {
          if (!k.calibration[c]) continue;
          const iv = conformalInterval(k.calibration[c], w.ttm[c], w.history[c], level);
          a.push(...w.actual[c]);
          lo.push(...iv.lower);
          hi.push(...iv.upper);
        }
        return [ch, a.length ? coverage(a, lo, hi) : Number.NaN];
      }),
    ),
  }));
  const stepWape = (h: number) =>
    Object.fromEntries(
      methods.map((m) => [
        m,
        Object.fromEntries(
          channels.map((ch, c) => {
            const a: number[] = [];
            const f: number[] = [];
            for (const k of cutoffs) for (const w of k.windows) {
              const x = methodForecasts(w, c, H)[m][h];
              if (!Number.isFinite(x)) continue;
              a.push(w.actual[c][h]);
              f.push(x);
            }
            return [ch, wape(a, f)];
          }),
        ),
      ]),
    );
  const keys = new Map<string, { produto: number; regiao: number }>();
  for (const k of cutoffs) for (const w of k.windows) keys.set(`${w.produto}:${w.regiao}`, { produto: w.produto, regiao: w.regiao });
  const bySeries = [...keys.values()]
    .sort((a, b) => a.produto - b.produto || a.regiao - b.regiao)
    .map((key) => {
      const s = perChannel(cutoffs, (w) => w.produto === key.produto && w.regiao === key.regiao);
      return { ...key, wape: Object.fromEntries(Object.entries(s).map(([m, byCh]) => [m, Object.fromEntries(Object.entries(byCh).map(([ch, x]) => [ch, x.wape]))])) };
    });
  return {
    horizon: H,
    level,
    channels: [...channels],
    methods,
    by_cutoff: byCutoff,
    by_step: Array.from({ length: H }, (_, h) => ({ step: h + 1, wape: stepWape(h) })),
    by_series: bySeries,
    overall: perChannel(cutoffs),
  };
}
