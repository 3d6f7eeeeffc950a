/**
 * The REST bodies, in zod: one source for request validation, the handlers' types and the
 * OpenAPI document (/openapi.json). Keys are snake_case; unknown keys are refused.
 */
import { z } from 'zod';
import { CHANNELS, COVARIATE_MAX_ABS } from '../data/index.js';
import { ForecastResponseSchema } from '../predict/index.js';

/** The design's horizon range; a model may forecast fewer weeks (checked per request). */
export const MAX_HORIZON = 26;
/** Most weeks of inline history one series may send (ten years). */
export const MAX_HISTORY_WEEKS = 520;
/** Most series in one /predict/batch body. */
export const MAX_BATCH_ITEMS = 5000;
/** Largest |value| accepted in a history (keeps float32 arithmetic finite). */
const MAX_ABS_VALUE = 1e12;

const code = (what: string) =>
  z.number().int(`${what} must be an integer code`).min(-2_147_483_648).max(2_147_483_647).describe(`the raw ${what} value, as in the data`);

const amount = (what: string) =>
  z.number().min(-MAX_ABS_VALUE, `${what} must be within ±1e12`).max(MAX_ABS_VALUE, `${what} must be within ±1e12`).describe(`${what} of the week`);

/** Most rows of future covariates one series may send (extra weeks past the horizon are ignored). */
export const MAX_FUTURE_ROWS = 4 * MAX_HORIZON;

const covariateValue = z
  .number()
  .min(-COVARIATE_MAX_ABS, 'a covariate must be within ±1e12')
  .max(COVARIATE_MAX_ABS, 'a covariate must be within ±1e12')
  .describe("a covariate column the model was trained with (its --covariates), e.g. price, base_price, feature, display, tpr");

export const HistoryWeekSchema = z
  .object({
    date: z.iso.date('date must be a calendar date YYYY-MM-DD').describe('a day of the week (weekly rows; several rows of one week are summed)'),
    vendas: amount('vendas'),
    faturamento: amount('faturamento'),
  })
  .catchall(covariateValue)
  .describe("a history row; for a model trained with covariates, also every covariate column (several rows of one week are averaged); other fields are refused");

/**
 * A forecast week's covariates: the date and the model's covariate columns. Derived inputs
 * (relative_price, price_cut) and calendar channels are computed by the server; targets are what
 * is forecast, never sent.
 */
export const FutureWeekSchema = z
  .object({ date: z.iso.date('date must be a calendar date YYYY-MM-DD').describe('a day of the forecast week') })
  .catchall(covariateValue)
  .superRefine((row, ctx) => {
    for (const target of CHANNELS) {
      if (target in row) ctx.addIssue({ code: 'custom', path: [target], message: `${target} is a target: future rows carry only the covariates known in advance, never the values to forecast` });
    }
  })
  .describe('the covariates of one forecast week, e.g. {"date": "2026-01-05", "price": 2.5, "base_price": 2.99, "feature": 0, "display": 1, "tpr": 0}');

export const PredictRequestSchema = z.strictObject({
  produto_id: code('produto_cat'),
  regiao_id: code('uf_cat'),
  horizon: z.number().int('horizon must be an integer').min(1).max(MAX_HORIZON).optional().describe('weeks to forecast (default: all the model forecasts)'),
  confidence_interval: z.boolean().default(true).describe('include lower and upper bounds'),
  interval_levels: z
    .array(z.number().min(0.5, 'a level is a fraction from 0.5 to 0.99').max(0.99, 'a level is a fraction from 0.5 to 0.99'))
    .min(1)
    .max(5)
    .default([0.9])
    .describe('interval levels as fractions; lower/upper are at the first, `intervals` lists all when more than one'),
  model_version: z.string().min(1).max(200).optional().describe('a registered version (default: the active one)'),
  history: z
    .array(HistoryWeekSchema)
    .min(1)
    .max(MAX_HISTORY_WEEKS)
    .optional()
    .describe('weekly vendas and faturamento of a series the server does not hold; forecast from this instead of the served data'),
  future: z
    .array(FutureWeekSchema)
    .min(1)
    .max(MAX_FUTURE_ROWS)
    .optional()
    .describe(
      "a model trained with covariates: their values in every forecast week (the model's full horizon), one row per week; overrides the server's --future file for this series; weeks past the horizon or inside the history are ignored. A model without covariate columns refuses the field (400)",
    ),
});
export type PredictRequest = z.infer<typeof PredictRequestSchema>;

export const BatchRequestSchema = z.strictObject({
  items: z.array(PredictRequestSchema).min(1).max(MAX_BATCH_ITEMS).describe('one prediction request per series'),
});
export type BatchRequest = z.infer<typeof BatchRequestSchema>;

/** What /predict answers: the library's forecast shape, the same as each series of `ttm predict --json`. */
export const PredictResponseSchema = ForecastResponseSchema;

export const ErrorSchema = z.object({
  error: z.string().describe('bad_request | unauthorized | forbidden | not_found | payload_too_large | unprocessable | unavailable | timeout | internal'),
  message: z.string(),
  hint: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorSchema>;

export const BatchResponseSchema = z.object({
  results: z.array(z.union([PredictResponseSchema, z.object({ status: z.number(), error: ErrorSchema })])),
  metadata: z.object({ model_version: z.string(), count: z.number(), failed: z.number() }),
});
export type BatchResponse = z.infer<typeof BatchResponseSchema>;

export const HealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  model_version: z.string().nullable(),
  uptime_seconds: z.number(),
});

export const VersionSchema = z.object({
  version: z.string(),
  registered_at: z.string().nullable(),
  metrics: z.record(z.string(), z.unknown()),
  source: z.string().nullable(),
  active: z.boolean(),
  loaded: z.boolean(),
});

export const ModelsSchema = z.object({
  active: z.string().nullable(),
  serving: z.string().nullable().describe('the version this server answers with'),
  versions: z.array(VersionSchema),
  last_swap_error: z.object({ version: z.string(), message: z.string(), at: z.string() }).nullable(),
});

export const PromoteRequestSchema = z.strictObject({ version: z.string().min(1).max(200) });
export const SwapResponseSchema = z.object({ active: z.string(), previous: z.string().nullable(), serving: z.string().nullable() });
