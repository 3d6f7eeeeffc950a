/**
 * Computing the overview's band (total-band.ts) for one (model, served dataset) pair, off the
 * request path: the backtest windows of evaluate's rolling origins (backtestWindows, the last
 * BAND_ORIGINS origins whose whole horizon of actuals is in the data), forecast by the served
 * forecaster (forecastSeries, blend included, as the overview's forecasts) in one background
 * worker thread (ForecastPool in background mode), a batch at a time so the event loop only ever
 * does one batch's bookkeeping between two turns. About 26 × 900 windows for the demo data.
 *
 * `TotalBandStore` caches one job per (forecaster, dataset) object pair, started by the first
 * /overview that needs it; a hot-swapped model or reloaded data is a new object and gets its own
 * job (started right after the swap once the overview has been looked at: routes/overview.ts),
 * the old one is dropped with its object. The job holds its model (ActiveModel.hold) so a
 * swap cannot dispose it midway. Until it settles the status is 'computing'; a failure or too
 * little data is 'unavailable' with the reason, never a guessed band.
 */
import { backtestOrigins, backtestWindows } from '../../evaluate/backtest.js';
import { formatDay, type WeeklyDataset } from '../../data/index.js';
import { forecastSeries, ForecastPool, MIN_HISTORY_WEEKS, type Forecaster } from '../../predict/index.js';
import type { ActiveModel } from './deps.js';
import { ALL_SERIES, bandQuantiles, groupOriginTotals, minOriginsFor, ufGroup, type BandQuantiles, type OriginTotals } from './total-band.js';

/** Origins of the backtest: one a week back from the latest, about half a year. */
export const BAND_ORIGINS = 26;
/** Windows per model call (and per turn of the event loop). */
const BAND_BATCH = 256;

export interface TotalBand {
  level: number;
  /** the backtest origins' first forecast weeks, oldest first */
  origins: string[];
  /** group (ALL_SERIES, ufGroup(regiao)) → per channel quantiles */
  quantiles: Map<string, BandQuantiles[]>;
  /** forecast windows computed */
  windows: number;
  seconds: number;
}

export type BandStatus = ({ state: 'computing' } | { state: 'ready'; band: TotalBand } | { state: 'unavailable'; reason: string }) & {
  /** when the job started (ISO) */
  startedAt: string;
};

/** Too little data for the level: the reason, else null. */
export function tooFewOrigins(ds: WeeklyDataset, H: number, origins: number, level: number): string | null {
  const need = minOriginsFor(level);
  if (origins >= need) return null;
  return `the data has ${ds.weeks} weeks: ${origins} backtest origin${origins === 1 ? '' : 's'} with ${MIN_HISTORY_WEEKS} weeks of history before and ${H} weeks of actuals after; a ${Math.round(level * 100)}% band of the totals needs at least ${need}`;
}

/**
 * The band of the totals of `series` (indices into ds.series: the series the overview sums) at
 * `level`, or why there is none. `pool` (started on f.model) runs the model's work.
 */
export async function computeTotalBand(f: Forecaster, ds: WeeklyDataset, series: readonly number[], level: number, pool?: ForecastPool): Promise<TotalBand | { reason: string }> {
  const t0 = performance.now();
  const H = f.meta.horizon;
  const o = { origins: BAND_ORIGINS, horizon: H, minHistory: MIN_HISTORY_WEEKS };
  const keep = new Set(series);
  const refs = backtestWindows(ds, o).filter((r) => keep.has(r.series));
  const origins = backtestOrigins(ds, o).filter((w) => refs.some((r) => r.origin === w));
  const few = tooFewOrigins(ds, H, origins.length, level);
  if (few) return { reason: few };
  // one batch per call: between two batches the event loop gets a turn, so the caller's thread
  // never holds it for more than one batch's bookkeeping (the model runs in the pool's worker)
  const forecasts: Float64Array[] = [];
  for (let i = 0; i < refs.length; i += BAND_BATCH) {
    const fc = await forecastSeries(f, ds, refs.slice(i, i + BAND_BATCH), BAND_BATCH, pool);
    forecasts.push(...fc.values);
    await new Promise((r) => setImmediate(r));
  }
  const groupsOf = (i: number) => [ALL_SERIES, ufGroup(ds.series[i].regiao)];
  const totals = groupOriginTotals(ds, refs, forecasts, H, groupsOf);
  const quantiles = new Map<string, BandQuantiles[]>();
  for (const [g, byChannel] of totals) quantiles.set(g, byChannel.map((rows: OriginTotals[]) => bandQuantiles(rows, level)));
  return { level, origins: origins.map((w) => formatDay(ds.firstWeek + 7 * w)), quantiles, windows: refs.length, seconds: (performance.now() - t0) / 1000 };
}

interface Job {
  status: BandStatus;
  settled: Promise<void>;
}

export interface BandLog {
  info: (o: object, msg: string) => void;
  error: (o: object, msg: string) => void;
}

export class TotalBandStore {
  private readonly jobs = new WeakMap<Forecaster, WeakMap<WeeklyDataset, Job>>();
  private readonly running = new Set<ForecastPool>();
  private closed = false;
  /** a band has been asked for (then a hot swap computes the new model's at once) */
  used = false;

  constructor(private readonly log?: BandLog) {}

  /** The band of model `m` on `ds` for the totals of `series`; the first call starts computing it. */
  status(m: ActiveModel, ds: WeeklyDataset, series: readonly number[], level: number): BandStatus {
    this.used = true;
    let byData = this.jobs.get(m.forecaster);
    if (!byData) this.jobs.set(m.forecaster, (byData = new WeakMap()));
    let job = byData.get(ds);
    if (!job) {
      const startedAt = new Date().toISOString();
      const j: Job = { status: { state: 'computing', startedAt }, settled: Promise.resolve() };
      j.settled = m.hold(() => this.run(m, ds, series, level)).then(
        (r) => {
          j.status = 'reason' in r ? { state: 'unavailable', reason: r.reason, startedAt } : { state: 'ready', band: r, startedAt };
          if (!('reason' in r)) this.log?.info({ version: m.version, windows: r.windows, seconds: Number(r.seconds.toFixed(2)) }, 'overview band computed');
        },
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          j.status = { state: 'unavailable', reason: `the backtest of the totals failed: ${message}`, startedAt };
          if (!this.closed) this.log?.error({ version: m.version, err: message }, 'overview band failed');
        },
      );
      byData.set(ds, (job = j));
    }
    return job.status;
  }

  private async run(m: ActiveModel, ds: WeeklyDataset, series: readonly number[], level: number): Promise<TotalBand | { reason: string }> {
    if (this.closed) throw new Error('the server is shutting down');
    const pool = await ForecastPool.start(m.forecaster.model, 1, { background: true });
    this.running.add(pool);
    try {
      if (this.closed) throw new Error('the server is shutting down');
      return await computeTotalBand(m.forecaster, ds, series, level, pool);
    } finally {
      this.running.delete(pool);
      await pool.close();
    }
  }

  /** Stops running jobs (their worker threads end, their status becomes unavailable). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running].map((p) => p.close()));
  }
}
