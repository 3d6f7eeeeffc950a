/**
 * The one place that reads `ttm evaluate`'s report file (src/evaluate/evaluate-run.ts,
 * format "ttm-evaluation" version 1) and maps it to the dashboard's snake_case response. When the
 * report's keys or units change, only `StoredReportSchema` and `toEvaluation` below change.
 *
 * Units: version 1 writes MAPE and sMAPE (and the MAPE alert's value and threshold) in percent;
 * the API gives every ratio as a fraction, so they are divided by 100 here.
 */
import { z } from 'zod';
import { ufLabel } from './uf.js';

const num = z.number().nullable(); // JSON.stringify writes NaN as null
const Metrics = z.object({ mae: num, rmse: num, wape: num, smape: num, mape: num, mase: num, bias: num });

/** The parts of a version-1 report file the dashboard reads (other keys are ignored). */
export const StoredReportSchema = z.object({
  format: z.literal('ttm-evaluation'),
  version: z.literal(1),
  created: z.string(),
  model: z.string().nullable(),
  data: z.string(),
  trained_through: z.string(),
  held_out_share: num,
  backtest: z.object({
    origins: z.array(z.string()),
    horizon: z.number(),
    channels: z.array(z.string()),
    windows: z.number(),
    series: z.number(),
    errorRate: num,
    methods: z.record(z.string(), z.record(z.string(), Metrics)),
    intervals: z.record(z.string(), z.array(z.object({ level: z.number(), coverage: num, meanWidth: num, nPoints: z.number() }))),
    monitoring: z.record(
      z.string(),
      z.object({
        rollingMae4w: num,
        mapeByProduto: z.array(z.object({ produto: z.union([z.number(), z.string()]), mape: num, nPoints: z.number() })),
        r2ByRegiao: z.array(z.object({ regiao: z.union([z.number(), z.string()]), r2: num, nPoints: z.number() })),
      }),
    ),
  }),
  drift: z.record(z.string(), z.object({ psi: num, meanShift: num, n: z.number() })),
  latency: z.object({ seconds_per_batch: num, batch_size: z.number() }),
  thresholds: z.record(z.string(), num),
  alerts: z.array(z.object({ name: z.string(), channel: z.string().optional(), value: num, threshold: num, message: z.string() })),
  healthy: z.boolean(),
});
type StoredReport = z.infer<typeof StoredReportSchema>;

const MetricsOut = z.object({ mae: num, rmse: num, wape: num, smape: num, mape: num, mase: num, bias: num });

export const EvaluationSchema = z.object({
  id: z.string().describe('the report file name without .json'),
  created: z.string(),
  model: z.string().nullable(),
  data: z.string(),
  trained_through: z.string(),
  held_out_share: num.describe('share of scored weeks after the training data (1 = fully held out)'),
  healthy: z.boolean(),
  origins: z.array(z.string()),
  horizon: z.number(),
  windows: z.number(),
  series: z.number(),
  error_rate: num,
  seconds_per_batch: num,
  channels: z.record(
    z.string(),
    z.object({
      methods: z.record(z.string(), MetricsOut).describe('ttm, ttm_model_only and the baselines; ratios as fractions'),
      coverage: z.array(z.object({ level: z.number(), coverage: num, mean_width: num, n_points: z.number() })),
      drift: z.object({ psi: num, mean_shift: num, n: z.number() }).nullable(),
      rolling_mae_4w: num,
      mape_by_produto: z.array(z.object({ produto: z.string(), mape: num, n_points: z.number() })),
      r2_by_uf: z.array(z.object({ regiao: z.string(), uf: z.string(), r2: num, n_points: z.number() })),
    }),
  ),
  thresholds: z.record(z.string(), num),
  alerts: z.array(z.object({ name: z.string(), channel: z.string().nullable(), value: num, threshold: num, message: z.string() })),
});
export type EvaluationView = z.infer<typeof EvaluationSchema>;

const percent = (x: number | null) => (x === null ? null : x / 100);
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** Figures reported in percent by version 1, by alert / threshold name. */
const IN_PERCENT = new Set(['mape']);

function metrics(m: z.infer<typeof Metrics>): z.infer<typeof MetricsOut> {
  return { ...m, mape: percent(m.mape), smape: percent(m.smape) };
}

/** A stored report → the API's evaluation. */
export function toEvaluation(id: string, r: StoredReport): EvaluationView {
  const b = r.backtest;
  const channels: EvaluationView['channels'] = {};
  for (const ch of b.channels) {
    const mon = b.monitoring[ch];
    const d = r.drift[ch];
    channels[ch] = {
      methods: Object.fromEntries(Object.entries(b.methods).filter(([, byCh]) => byCh[ch]).map(([m, byCh]) => [m, metrics(byCh[ch])])),
      coverage: (b.intervals[ch] ?? []).map((i) => ({ level: i.level, coverage: i.coverage, mean_width: i.meanWidth, n_points: i.nPoints })),
      drift: d ? { psi: d.psi, mean_shift: d.meanShift, n: d.n } : null,
      rolling_mae_4w: mon?.rollingMae4w ?? null,
      mape_by_produto: (mon?.mapeByProduto ?? []).map((x) => ({ produto: String(x.produto), mape: percent(x.mape), n_points: x.nPoints })),
      r2_by_uf: (mon?.r2ByRegiao ?? []).map((x) => ({ regiao: String(x.regiao), uf: ufLabel(Number(x.regiao)), r2: x.r2, n_points: x.nPoints })),
    };
  }
  return {
    id,
    created: r.created,
    model: r.model,
    data: r.data,
    trained_through: r.trained_through,
    held_out_share: r.held_out_share,
    healthy: r.healthy,
    origins: b.origins,
    horizon: b.horizon,
    windows: b.windows,
    series: b.series,
    error_rate: b.errorRate,
    seconds_per_batch: r.latency.seconds_per_batch,
    channels,
    thresholds: Object.fromEntries(Object.entries(r.thresholds).map(([k, v]) => [snake(k), IN_PERCENT.has(k) ? percent(v) : v])),
    alerts: r.alerts.map((a) => ({
      name: snake(a.name),
      channel: a.channel ?? null,
      value: IN_PERCENT.has(a.name) ? percent(a.value) : a.value,
      threshold: IN_PERCENT.has(a.name) ? percent(a.threshold) : a.threshold,
      message: a.message,
    })),
  };
}

export const EvaluationSummarySchema = z.object({
  id: z.string(),
  created: z.string(),
  model: z.string().nullable(),
  healthy: z.boolean(),
  alerts: z.number().int(),
  channels: z.record(z.string(), z.object({ wape: num, mape: num, mase: num, coverage: num })),
});

/** The figures the trend chart plots, from a mapped evaluation. */
export function summarize(e: EvaluationView): z.infer<typeof EvaluationSummarySchema> {
  const channels = Object.fromEntries(
    Object.entries(e.channels).map(([ch, c]) => {
      const m = c.methods.ttm;
      return [ch, { wape: m?.wape ?? null, mape: m?.mape ?? null, mase: m?.mase ?? null, coverage: c.coverage[0]?.coverage ?? null }];
    }),
  );
  return { id: e.id, created: e.created, model: e.model, healthy: e.healthy, alerts: e.alerts.length, channels };
}
