/**
 * The JSON documents the tool prints (--json) and writes, as zod schemas: the single source of
 * their description. `npm run schemas` turns them into JSON Schema (z.toJSONSchema) under
 * docs/schemas/, and the tests parse real outputs with them. Conventions: snake_case keys, ratios
 * as fractions (0.25 = 25%), `schema_version` on every top-level document.
 */
import { z } from 'zod';
import { ThresholdsSchema } from './thresholds.js';

const version = z.number().int().describe('version of this document\'s format (config/schema-version.ts)');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('YYYY-MM-DD');
const ratio = z.number().describe('a fraction: 0.25 = 25% (NaN is written as null)').nullable();
const num = z.number().nullable();
const byChannel = <T extends z.ZodType>(t: T) => z.record(z.string(), t).describe('channel (vendas, faturamento) → value');
const byMethod = <T extends z.ZodType>(t: T) => z.record(z.string(), t).describe('method (ttm, ttm_model_only, baselines) → value');

export const MetricSetSchema = z.looseObject({
  mae: num,
  rmse: num,
  wape: ratio,
  smape: ratio,
  mape: ratio.describe('over weeks with sales > 0, as a fraction'),
  mase: num,
  bias: num.describe('mean forecast - actual'),
  n_points: z.number().int(),
});

export const CvScoreSchema = z.strictObject({ wape: ratio, mae: num, rmse: num, bias: num, mase: num, n_points: z.number().int() });

export const BacktestSummarySchema = z.looseObject({
  schema_version: version,
  format: z.literal('ttm-backtest'),
  kind: z.literal('cross_validation'),
  created: z.string(),
  backend: z.string(),
  data: z.string(),
  windows: z.number().int().describe('cutoffs'),
  step: z.number().int().describe('weeks between cutoffs'),
  refit: z.boolean().describe('a model trained per cutoff (false: one, at the earliest)'),
  models_trained: z.number().int(),
  seconds: z.number(),
  out: z.string().describe('folder with rows.csv, summary.json and the models'),
  horizon: z.number().int(),
  level: z.number().describe('interval level of the coverage figures, a fraction'),
  channels: z.array(z.string()),
  methods: z.array(z.string()),
  by_cutoff: z.array(
    z.strictObject({
      cutoff: date.describe('last week the model trained on'),
      model: z.string(),
      first_week: date,
      last_week: date,
      series: z.number().int(),
      scores: byMethod(byChannel(CvScoreSchema)),
      coverage: byChannel(ratio),
    }),
  ),
  by_step: z.array(z.strictObject({ step: z.number().int(), wape: byMethod(byChannel(ratio)) })),
  by_series: z.array(z.strictObject({ produto: z.number().int(), regiao: z.number().int(), wape: byMethod(byChannel(ratio)) })),
  overall: byMethod(byChannel(CvScoreSchema)),
});

export const EvaluationReportSchema = z.looseObject({
  schema_version: version,
  format: z.literal('ttm-evaluation'),
  created: z.string(),
  model: z.string().nullable(),
  data: z.string(),
  trained_through: date,
  held_out_share: ratio.describe('share of scored weeks after trained_through'),
  kind: z.enum(['held_out', 'in_sample', 'partly_in_sample']).describe('held_out: the weekly check on weeks that arrived after training; otherwise optimistic'),
  backtest: z.looseObject({
    origins: z.array(date),
    horizon: z.number().int(),
    channels: z.array(z.string()),
    windows: z.number().int(),
    series: z.number().int(),
    failed_series: z.number().int(),
    error_rate: ratio,
    methods: byMethod(byChannel(MetricSetSchema)),
    skill: byChannel(z.record(z.string(), z.record(z.string(), ratio))),
    intervals: byChannel(z.array(z.looseObject({ level: z.number(), coverage: ratio, mean_width: num, n_points: z.number().int() }))),
    monitoring: byChannel(z.looseObject({ rolling_mae4w: num, mape_by_produto: z.array(z.looseObject({ mape: ratio })), r2_by_regiao: z.array(z.looseObject({ r2: num })) })),
  }),
  drift: byChannel(z.looseObject({ psi: num })),
  latency: z.looseObject({ model_seconds: z.number(), batches: z.number().int(), seconds_per_batch: z.number(), batch_size: z.number().int() }),
  thresholds: ThresholdsSchema,
  alerts: z.array(z.looseObject({ name: z.string(), value: z.number(), threshold: z.number(), message: z.string() })),
  healthy: z.boolean(),
  shard: z.strictObject({ index: z.number().int(), count: z.number().int() }).optional().describe('present when the run scored one block of the series (ttm evaluate --shard K/N)'),
});

export const ValidationReportSchema = z.looseObject({
  schema_version: version,
  file: z.string(),
  passed: z.boolean(),
  as_of: date,
  rows: z.number().int(),
  series: z.number().int(),
  weeks: z.number().int(),
  week_start: z.string(),
  first_week: date,
  last_week: date,
  missing: z.enum(['zero', 'gap']),
  rules: z.array(
    z.looseObject({
      rule: z.enum(['completeness', 'consistency', 'timeliness', 'outliers', 'duplicates', 'length']),
      passed: z.boolean(),
      value: z.number(),
      threshold: z.string(),
      summary: z.string(),
      series: z.array(z.looseObject({ produto: z.number().int(), regiao: z.number().int(), value: z.number(), detail: z.string() })),
    }),
  ),
});

export const TrainEventSchema = z
  .looseObject({ type: z.string().describe('data, model, start, step, epoch, refit, stop, replaced, pull, … and result on the last line') })
  .describe('one line of ttm train --json (JSON Lines); keys snake_case (val_loss, steps_per_epoch, windows_per_second)');

export const TrainResultSchema = z.looseObject({
  schema_version: version,
  type: z.literal('result'),
  backend: z.string(),
  output: z.string(),
  validation: byChannel(z.strictObject({ wape: ratio, wape_model_only: ratio, model_weight: z.number() })),
  best_epoch: z.number().int(),
  best_val_loss: z.number(),
  epochs_run: z.number().int(),
  stop_reason: z.string(),
  seconds: z.number(),
});

export const CsvDialectFileSchema = z.strictObject({
  delimiter: z.string().optional().describe('one character: , ; | or \\t (or "tab")'),
  decimal: z.enum(['.', ',']).optional(),
  date_format: z.enum(['iso', 'dmy']).optional().describe('iso: YYYY-MM-DD; dmy: DD/MM/YYYY'),
  columns: z
    .partialRecord(z.enum(['date', 'produto_cat', 'uf_cat', 'vendas', 'faturamento']), z.string())
    .optional()
    .describe('our column name → the name in your file'),
});

/** name → schema, for the generator and the tests. */
export const OUTPUT_SCHEMAS = {
  'backtest-summary': BacktestSummarySchema,
  'evaluation-report': EvaluationReportSchema,
  'validation-report': ValidationReportSchema,
  'train-event': TrainEventSchema,
  'train-result': TrainResultSchema,
  thresholds: ThresholdsSchema,
  'csv-dialect': CsvDialectFileSchema,
} as const;

/** The JSON Schema of every document, as written to docs/schemas/<name>.schema.json. */
export function jsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(OUTPUT_SCHEMAS).map(([name, s]) => [name, z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })]));
}
