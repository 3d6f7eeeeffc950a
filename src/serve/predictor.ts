/**
 * One loaded model version with its micro-batcher: queued series are forecast by a single
 * `predictSeries` call (the library function behind `ttm predict`), at the longest horizon and
 * every level asked for, then each request gets its own weeks and level back.
 */
import type { Forecaster, SeriesPrediction } from '../predict/index.js';
import { levelName, predictSeries } from '../predict/index.js';
import { Batcher } from './batcher.js';
import { mergeRefs, type SeriesRef } from './series-input.js';

export interface PredictItem {
  ref: SeriesRef;
  horizon: number;
  /** interval levels (fractions); empty: none */
  levels: number[];
}

export interface BatchSettings {
  maxBatch: number;
  maxWaitMs: number;
  arriving: () => number;
  onCall?: (size: number, seconds: number) => void;
}

/** The item's weeks and levels out of a prediction made at a longer horizon and more levels. */
function cut(p: SeriesPrediction, item: PredictItem): SeriesPrediction {
  const slice = (x: number[]) => x.slice(0, item.horizon);
  const values = Object.fromEntries(Object.entries(p.values).map(([ch, v]) => [ch, slice(v)]));
  const intervals = Object.fromEntries(
    item.levels.map(levelName).map((n) => [n, Object.fromEntries(Object.entries(p.intervals[n]).map(([ch, iv]) => [ch, { lo: slice(iv.lo), hi: slice(iv.hi) }]))]),
  );
  return { ...p, dates: p.dates.slice(0, item.horizon), values, intervals };
}

export async function forecastItems(f: Forecaster, items: PredictItem[]): Promise<SeriesPrediction[]> {
  const { ds, which } = mergeRefs(items.map((i) => i.ref));
  const horizon = Math.max(...items.map((i) => i.horizon));
  const levels = [...new Set(items.flatMap((i) => i.levels))];
  const r = await predictSeries(f, ds, which, { horizon, levels, strict: true });
  return r.predictions.map((p, k) => cut(p, items[k]));
}

export class LoadedModel {
  readonly batcher: Batcher<PredictItem, SeriesPrediction>;
  /** requests holding this version */
  users = 0;
  retired = false;

  constructor(
    readonly version: string,
    readonly forecaster: Forecaster,
    settings: BatchSettings,
  ) {
    this.batcher = new Batcher({ ...settings, run: (items) => forecastItems(forecaster, items) });
  }

  get horizon(): number {
    return this.forecaster.meta.horizon;
  }

  dispose(): void {
    this.forecaster.model.dispose();
  }
}
