/**
 * Forecasts of every served series by the active model, computed once per (model, dataset) pair
 * and shared by the overview and the series explorer: one batched pass (about 0.3 s for 900
 * series on WASM) instead of one model call per page view. A promoted model or reloaded data is a
 * new object, so it gets its own entry; the old one is dropped with its object.
 */
import type { WeeklyDataset } from '../../data/index.js';
import { predictSeries, type Forecaster, type PredictResult } from '../../predict/index.js';

/** The interval level the dashboard shows. */
export const DASHBOARD_LEVEL = 0.9;

const cache = new WeakMap<Forecaster, WeakMap<WeeklyDataset, Promise<PredictResult>>>();

export function allForecasts(f: Forecaster, ds: WeeklyDataset): Promise<PredictResult> {
  let byData = cache.get(f);
  if (!byData) cache.set(f, (byData = new WeakMap()));
  let p = byData.get(ds);
  if (!p) {
    // a series without its forecast weeks' covariates (a covariate model) is left out, and said so
    p = predictSeries(f, ds, ds.series.map((_, i) => i), { levels: [DASHBOARD_LEVEL], missingFuture: 'skip' });
    p.catch(() => byData!.delete(ds));
    byData.set(ds, p);
  }
  return p;
}
