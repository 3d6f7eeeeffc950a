/**
 * TinyTimeMixerConfig: the `config.json` of a Hugging Face checkpoint, keys kept verbatim.
 * The zod schema is the single source of truth: missing keys take the reference defaults
 * (older checkpoints lack many), unknown keys are kept aside so a round trip loses nothing.
 */
import { z } from 'zod';
import { zodIssues } from '../config/zod-issues.js';
import { ConfigError } from '../errors.js';

const intList = z.array(z.number().int()).nullable();

export const TtmConfigSchema = z.object({
  context_length: z.number().int().positive().default(64),
  patch_length: z.number().int().positive().default(8),
  num_input_channels: z.number().int().positive().default(1),
  prediction_length: z.number().int().positive().default(16),
  patch_stride: z.number().int().positive().default(8),
  prediction_channel_indices: intList.default(null),
  exogenous_channel_indices: intList.default(null),
  d_model: z.number().int().positive().default(16),
  expansion_factor: z.number().int().positive().default(2),
  num_layers: z.number().int().nonnegative().default(3),
  dropout: z.number().min(0).max(1).default(0.2),
  mode: z.enum(['common_channel', 'mix_channel']).default('common_channel'),
  gated_attn: z.boolean().default(true),
  norm_mlp: z.string().default('LayerNorm'),
  self_attn: z.boolean().default(false),
  self_attn_heads: z.number().int().positive().default(1),
  use_positional_encoding: z.boolean().default(false),
  positional_encoding_type: z.enum(['sincos', 'random']).default('sincos'),
  scaling: z.union([z.string(), z.boolean(), z.null()]).default('std'),
  loss: z.union([z.enum(['mse', 'mae', 'huber', 'pinball']), z.null()]).default('mse'),
  init_std: z.number().default(0.02),
  post_init: z.boolean().default(false),
  norm_eps: z.number().positive().default(1e-5),
  adaptive_patching_levels: z.number().int().nonnegative().default(0),
  resolution_prefix_tuning: z.boolean().default(false),
  frequency_token_vocab_size: z.number().int().positive().default(5),
  head_dropout: z.number().min(0).max(1).default(0.2),
  distribution_output: z.string().nullable().default('student_t'),
  num_parallel_samples: z.number().int().default(100),
  decoder_num_layers: z.number().int().nonnegative().default(8),
  decoder_d_model: z.number().int().positive().default(8),
  decoder_adaptive_patching_levels: z.number().int().nonnegative().default(0),
  decoder_raw_residual: z.boolean().default(false),
  decoder_mode: z.enum(['common_channel', 'mix_channel']).default('common_channel'),
  use_decoder: z.boolean().default(true),
  enable_forecast_channel_mixing: z.boolean().default(false),
  fcm_gated_attn: z.boolean().default(true),
  fcm_context_length: z.number().int().nonnegative().default(1),
  fcm_use_mixer: z.boolean().default(false),
  fcm_mix_layers: z.number().int().nonnegative().default(2),
  fcm_prepend_past: z.boolean().default(true),
  fcm_prepend_past_offset: z.number().int().nullable().default(null),
  categorical_vocab_size_list: z.array(z.number().int().positive()).nullable().default(null),
  prediction_filter_length: z.number().int().positive().nullable().default(null),
  init_linear: z.string().default('pytorch'),
  init_embed: z.string().default('pytorch'),
  quantile: z.number().default(0.5),
  huber_delta: z.number().default(1),
  mask_value: z.number().default(0),
  masked_context_length: z.number().int().positive().nullable().default(null),
  patch_last: z.boolean().default(true),
  num_patches: z.number().int().positive().optional(),
});

/** A normalised config: every field present, indices sorted, num_patches known. */
export type TtmConfig = z.infer<typeof TtmConfigSchema> & {
  num_patches: number;
  /** Keys of the file that the model does not read (architectures, torch_dtype, …), kept for round trips. */
  extra: Record<string, unknown>;
};

export type TtmConfigInput = z.input<typeof TtmConfigSchema>;

/**
 * Parse and normalise a config.json object the way the reference does when it builds a model.
 * `source` names the file in error messages.
 */
export function parseTtmConfig(raw: unknown, source = 'config.json'): TtmConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${source}: not a JSON object`, { hint: 'a TTM config.json is an object of TinyTimeMixerConfig fields' });
  }
  const obj = raw as Record<string, unknown>;
  if (obj.model_type !== undefined && obj.model_type !== 'tinytimemixer') {
    throw new ConfigError(`${source}: model_type is "${String(obj.model_type)}", expected "tinytimemixer"`, {
      hint: 'use a TinyTimeMixer checkpoint directory',
      param: 'model',
    });
  }
  if (obj.model_type === undefined && obj.context_length === undefined && obj.d_model === undefined) {
    throw new ConfigError(`${source}: not a TinyTimeMixer config (no model_type, context_length or d_model)`, {
      hint: 'use a TinyTimeMixer checkpoint directory',
      param: 'model',
    });
  }
  const parsed = TtmConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, Infinity);
    throw new ConfigError(`${source}: invalid TinyTimeMixer config: ${issues}`);
  }
  const known = new Set(Object.keys(TtmConfigSchema.shape));
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!known.has(k)) extra[k] = v;
  return normaliseConfig({ ...parsed.data, extra }, source);
}

/** Build a config from fields (defaults for the rest), as a fresh model would get. */
export function makeTtmConfig(fields: TtmConfigInput & { extra?: Record<string, unknown> }): TtmConfig {
  const { extra, ...rest } = fields;
  return parseTtmConfig({ model_type: 'tinytimemixer', ...(extra ?? {}), ...rest }, 'config');
}

function normaliseConfig(cfg: Omit<TtmConfig, 'num_patches'> & { num_patches?: number }, source: string): TtmConfig {
  const sorted = (a: number[] | null) => (a === null ? null : [...a].sort((x, y) => x - y));
  let prediction = sorted(cfg.prediction_channel_indices);
  const exogenous = sorted(cfg.exogenous_channel_indices);
  const C = cfg.num_input_channels;
  if (exogenous && exogenous.length > 0 && prediction === null) {
    prediction = [...Array(C).keys()].filter((c) => !exogenous.includes(c));
  }
  for (const [name, list] of [['prediction_channel_indices', prediction], ['exogenous_channel_indices', exogenous]] as const) {
    if (list && list.some((c) => c < 0 || c >= C)) {
      throw new ConfigError(`${source}: ${name} ${JSON.stringify(list)} out of range for num_input_channels ${C}`);
    }
  }
  const L = cfg.masked_context_length ?? cfg.context_length;
  const p = cfg.patch_length;
  const s = cfg.patch_stride;
  const num_patches =
    cfg.num_patches ?? Math.floor((Math.max(L, p) - p) / s) + 1 + (cfg.resolution_prefix_tuning ? 1 : 0);
  const Hf = cfg.prediction_filter_length;
  if (Hf !== null && (Hf <= 0 || Hf > cfg.prediction_length)) {
    throw new ConfigError(`${source}: prediction_filter_length ${Hf} must be in 1..prediction_length (${cfg.prediction_length})`);
  }
  if (cfg.categorical_vocab_size_list && cfg.categorical_vocab_size_list.length > 0 && cfg.decoder_mode !== 'mix_channel') {
    throw new ConfigError(`${source}: categorical_vocab_size_list needs decoder_mode "mix_channel"`, {
      hint: 'set "decoder_mode": "mix_channel" or drop the categorical variables',
    });
  }
  if (cfg.norm_mlp !== 'LayerNorm' && cfg.norm_mlp !== 'BatchNorm') {
    throw new ConfigError(`${source}: norm_mlp "${cfg.norm_mlp}" is not LayerNorm or BatchNorm`);
  }
  if (L <= p) {
    throw new ConfigError(`${source}: context_length ${L} must be greater than patch_length ${p}`);
  }
  return { ...cfg, prediction_channel_indices: prediction, exogenous_channel_indices: exogenous, num_patches };
}

/** Which scaler the `scaling` field selects. */
export function scalerKind(cfg: TtmConfig): 'std' | 'mean' | 'none' {
  if (cfg.scaling === 'std' || cfg.scaling === true) return 'std';
  if (cfg.scaling === 'mean') return 'mean';
  return 'none';
}

/** Forecast channels Cp (sorted indices). */
export function forecastChannels(cfg: TtmConfig): number[] {
  return cfg.prediction_channel_indices ?? [...Array(cfg.num_input_channels).keys()];
}

/** Steps the model returns: prediction_filter_length, or the full prediction_length. */
export function outputHorizon(cfg: TtmConfig): number {
  return cfg.prediction_filter_length ?? cfg.prediction_length;
}

/** The config as Hugging Face writes it: sorted keys, every field, plus the bookkeeping keys. */
export function toConfigJson(cfg: TtmConfig): Record<string, unknown> {
  const { extra, ...fields } = cfg;
  const out: Record<string, unknown> = {
    architectures: ['TinyTimeMixerForPrediction'],
    model_type: 'tinytimemixer',
    torch_dtype: 'float32',
    transformers_version: '4.44.2',
    ...extra,
    ...fields,
    init_processing: true,
  };
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}
