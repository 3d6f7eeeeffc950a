/**
 * Alerts of `ttm evaluate`: compares the health figures with the thresholds of
 * config/thresholds.ts and returns the alerts that fire, each with a message for people. A figure
 * fires when strictly above its threshold; a NaN figure (e.g. MAPE with no week of sales > 0)
 * or a null threshold never fires. The CLI exits 7 when the list is not empty.
 */
import { DEFAULT_THRESHOLDS, type Thresholds } from '../config/thresholds.js';

export type AlertName = keyof Thresholds;

export interface Alert {
  name: AlertName;
  /** The channel the figure belongs to, for the per-channel alerts. */
  channel?: string;
  value: number;
  threshold: number;
  message: string;
}

/** The figures the alerts look at; a missing figure is not checked. */
export interface HealthFigures {
  /** Per channel: MAPE and WAPE (fractions) of the model on the backtest. */
  metrics?: Record<string, { mape: number; wape: number }>;
  /** Per channel: PSI of the latest inputs against the training statistics. */
  drift?: Record<string, { psi: number }>;
  /** Share of series whose forecast failed. */
  errorRate?: number;
  /** Model time per forecast batch, in seconds. */
  latencySeconds?: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const DESCRIBE: Record<AlertName, (value: number, threshold: number, channel?: string) => string> = {
  mape: (v, t, c) => `MAPE of ${c} is ${pct(v)}, above the ${pct(t)} threshold`,
  wape: (v, t, c) => `WAPE of ${c} is ${pct(v)}, above the ${pct(t)} threshold`,
  psi: (v, t, c) => `input drift of ${c}: PSI ${v.toFixed(3)} against the training data, above ${t}`,
  error_rate: (v, t) => `${pct(v)} of the series failed to forecast, above the ${pct(t)} threshold`,
  latency_seconds: (v, t) => `a forecast batch took ${v.toFixed(2)} s, above the ${t} s threshold`,
};

function check(out: Alert[], name: AlertName, value: number | undefined, thresholds: Thresholds, channel?: string): void {
  const threshold = thresholds[name];
  if (value === undefined || threshold === null || !(value > threshold)) return;
  out.push({ name, ...(channel === undefined ? {} : { channel }), value, threshold, message: DESCRIBE[name](value, threshold, channel) });
}

/** The alerts that fire, per-channel ones in channel order; empty when healthy. */
export function checkAlerts(figures: HealthFigures, thresholds: Thresholds = DEFAULT_THRESHOLDS): Alert[] {
  const out: Alert[] = [];
  for (const [channel, m] of Object.entries(figures.metrics ?? {})) {
    check(out, 'mape', m.mape, thresholds, channel);
    check(out, 'wape', m.wape, thresholds, channel);
  }
  for (const [channel, d] of Object.entries(figures.drift ?? {})) check(out, 'psi', d.psi, thresholds, channel);
  check(out, 'error_rate', figures.errorRate, thresholds);
  check(out, 'latency_seconds', figures.latencySeconds, thresholds);
  return out;
}
