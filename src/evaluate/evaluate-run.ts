/**
 * `ttm evaluate` as a library call: a trained forecaster and a dataset → backtest over the last N
 * origins (model and baselines on the same windows), interval coverage, input drift, latency,
 * error rate and the alerts they fire. `saveEvaluation` keeps each report under
 * <results>/evaluations/<timestamp>.json.
 */
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../config/thresholds.js';
import { formatDay, seriesEnd, type WeeklyDataset, type WindowRef } from '../data/index.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { conformalInterval, forecastSeries, type ConformalCalibration, type ForecastPool, type Forecaster } from '../predict/index.js';
import { checkAlerts, type Alert } from './alerts.js';
import { backtestWindows, scoreBacktest, type BacktestReport } from './backtest.js';
import { drift, trainingStatsFromJSON, type Drift } from './drift.js';
import type { RegionPanel } from './report-svg.js';

export interface EvaluateOptions {
  /** forecast origins, stepping back a week from the latest (default 4) */
  origins?: number;
  /** interval levels whose coverage is reported (default 0.9) */
  levels?: number[];
  thresholds?: Thresholds;
  /** windows per forecast batch (the latency alert is per batch; default 256) */
  batchSize?: number;
  /** weeks of history shown before the last origin in the report panels (default 52) */
  panelHistory?: number;
  /**
   * worker threads sharing the forecast batches (predict/parallel-forecast.ts), started on the
   * forecaster's model; latency is then the run's wall time per batch
   */
  pool?: ForecastPool;
  /** names recorded in the report */
  source?: { model?: string; data?: string };
}

export interface EvaluationReport {
  format: 'ttm-evaluation';
  version: 1;
  created: string;
  model: string | null;
  data: string;
  trained_through: string;
  /** share of scored target weeks after trained_through (1 = fully held out) */
  held_out_share: number;
  backtest: BacktestReport;
  /** channel → PSI and mean shift of the latest context window of every series */
  drift: Record<string, Drift>;
  latency: { model_seconds: number; batches: number; seconds_per_batch: number; batch_size: number };
  thresholds: Thresholds;
  alerts: Alert[];
  healthy: boolean;
}

export interface Evaluation {
  report: EvaluationReport;
  /** channel → one panel per regiao at the last origin (sums over the region's series), for reportSvg */
  panels: Record<string, RegionPanel[]>;
}

const dateOf = (ds: WeeklyDataset, week: number) => formatDay(ds.firstWeek + 7 * week);

export async function evaluateForecaster(f: Forecaster, ds: WeeklyDataset, o: EvaluateOptions = {}): Promise<Evaluation> {
  const { origins = 4, levels = [0.9], thresholds = DEFAULT_THRESHOLDS, batchSize = 256, panelHistory = 52 } = o;
  const H = f.meta.horizon;
  const refs = backtestWindows(ds, { origins, horizon: H });
  const known = new Set(f.preprocessor.vocab.regiao);
  const runnable = refs.map((r, i) => i).filter((i) => known.has(ds.series[refs[i].series].regiao));
  const fc = await forecastSeries(f, ds, runnable.map((i) => refs[i]), batchSize, o.pool);
  const forecasts: (Float64Array | null)[] = refs.map(() => null);
  const modelOnly: (Float64Array | null)[] = refs.map(() => null);
  runnable.forEach((i, k) => {
    forecasts[i] = fc.values[k];
    modelOnly[i] = fc.modelValues[k];
  });
  const calibration = f.meta.calibration;
  const backtest = scoreBacktest({ ds, refs, horizon: H, forecasts, modelOnly, calibration, levels });

  const batches = Math.ceil(runnable.length / batchSize);
  const latency = { model_seconds: fc.modelSeconds, batches, seconds_per_batch: batches ? fc.modelSeconds / batches : 0, batch_size: batchSize };
  const driftByChannel = latestDrift(f, ds);
  const metrics = Object.fromEntries(ds.channels.map((ch) => [ch, backtest.methods.ttm[ch]]));
  const alerts = checkAlerts({ metrics, drift: driftByChannel, errorRate: backtest.errorRate, latencySeconds: latency.seconds_per_batch }, thresholds);
  const report: EvaluationReport = {
    format: 'ttm-evaluation',
    version: 1,
    created: new Date().toISOString(),
    model: o.source?.model ?? null,
    data: o.source?.data ?? ds.file,
    trained_through: f.meta.trained_through,
    held_out_share: heldOutShare(ds, refs, H, f.meta.trained_through),
    backtest,
    drift: driftByChannel,
    latency,
    thresholds,
    alerts,
    healthy: alerts.length === 0,
  };
  const last = refs.length ? refs[refs.length - 1].origin : 0;
  const lastIdx = refs.map((_, i) => i).filter((i) => refs[i].origin === last && forecasts[i]);
  const panels = Object.fromEntries(
    ds.channels.map((ch, c) => [ch, regionPanels(ds, lastIdx.map((i) => refs[i]), lastIdx.map((i) => forecasts[i]!), c, H, calibration[c], levels[0], panelHistory)]),
  );
  return { report, panels };
}

/** PSI per channel of the last context window (L weeks) of every series against training. */
function latestDrift(f: Forecaster, ds: WeeklyDataset): Record<string, Drift> {
  const L = f.model.config.context_length;
  return Object.fromEntries(
    ds.channels.map((ch, c) => {
      const stats = trainingStatsFromJSON(f.meta.training_stats[c], `forecaster.json training_stats[${c}]`);
      const latest: number[] = [];
      for (const s of ds.series) {
        for (let t = Math.max(0, s.length - L); t < s.length; t++) if (s.observed[t]) latest.push(s.values[c][t]);
      }
      return [ch, drift(stats, latest)];
    }),
  );
}

function heldOutShare(ds: WeeklyDataset, refs: readonly WindowRef[], H: number, trainedThrough: string): number {
  let after = 0;
  for (const r of refs) for (let h = 0; h < H; h++) if (dateOf(ds, r.origin + h) > trainedThrough) after++;
  return refs.length ? after / (refs.length * H) : NaN;
}

/** Per regiao: actuals summed over its series, from `history` weeks before the origin to the
 *  horizon's end; forecast and interval bounds summed over the same series (a sum of per-series
 *  bounds: wider than an interval of the total would be). */
function regionPanels(
  ds: WeeklyDataset,
  refs: readonly WindowRef[],
  forecasts: readonly Float64Array[],
  c: number,
  H: number,
  cal: ConformalCalibration | undefined,
  level: number,
  history: number,
): RegionPanel[] {
  if (refs.length === 0) return [];
  const C = ds.channels.length;
  const origin = refs[0].origin;
  const from = Math.max(0, origin - history);
  const n = origin + H - from;
  const dates = Array.from({ length: n }, (_, k) => dateOf(ds, from + k));
  const byRegion = new Map<number, RegionPanel & { actual: Float64Array; forecast: Float64Array; lower: Float64Array; upper: Float64Array }>();
  refs.forEach((r, i) => {
    const s = ds.series[r.series];
    let p = byRegion.get(s.regiao);
    if (!p) {
      const nan = () => new Float64Array(n).fill(NaN);
      p = { regiao: s.regiao, dates, actual: new Float64Array(n), forecast: nan(), lower: nan(), upper: nan() };
      byRegion.set(s.regiao, p);
    }
    for (let k = 0; k < n; k++) {
      const t = from + k - s.start;
      if (t >= 0 && t <= seriesEnd(s) - s.start) p.actual[k] += s.values[c][t];
    }
    const f = Float64Array.from({ length: H }, (_, h) => forecasts[i][h * C + c]);
    const iv = cal ? conformalInterval(cal, f, s.values[c].subarray(0, origin - s.start), level) : undefined;
    for (let h = 0; h < H; h++) {
      const k = origin - from + h;
      p.forecast[k] = (Number.isNaN(p.forecast[k]) ? 0 : p.forecast[k]) + f[h];
      if (iv) {
        p.lower[k] = (Number.isNaN(p.lower[k]) ? 0 : p.lower[k]) + iv.lower[h];
        p.upper[k] = (Number.isNaN(p.upper[k]) ? 0 : p.upper[k]) + iv.upper[h];
      }
    }
  });
  return [...byRegion.values()].sort((a, b) => Number(a.regiao) - Number(b.regiao));
}

/** Writes the report to <resultsDir>/evaluations/<created, file-safe>.json atomically; returns the path. */
export async function saveEvaluation(resultsDir: string, report: EvaluationReport): Promise<string> {
  const path = join(resultsDir, 'evaluations', `${report.created.replace(/[:.]/g, '-')}.json`);
  await writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
