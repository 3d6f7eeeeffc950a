/** Architecture summary and parameter counts, per module and per fine-tuning strategy. */
import { forecastChannels, outputHorizon, type TtmConfig } from './config.js';
import { levelFactor } from './mixer-block.js';
import { STRATEGIES, isTrainable, type Strategy } from './trainable.js';
import type { TtmModel } from './ttm.js';

export interface ModelSummary {
  architecture: Record<string, string | number | boolean | null>;
  modules: { module: string; parameters: number }[];
  total: number;
  trainable: Record<Strategy, { count: number; share: number }>;
}

/** Module granularity for the table: the first segments of a parameter name. */
function moduleOf(name: string): string {
  const parts = name.split('.');
  const depth = parts[0] === 'backbone' ? 3 : 2;
  return parts.slice(0, Math.min(depth, parts.length - 1)).join('.');
}

export function summarise(model: TtmModel, nameOf: (path: string) => string): ModelSummary {
  const cfg = model.config;
  const vars = model.namedVariables().map(([path, v]) => ({ name: nameOf(path), size: v.size, fixed: !v.trainable }));
  // BatchNorm running statistics are buffers, not parameters; a fixed sincos table is a parameter that never trains.
  const params = vars.filter((v) => !/(running_mean|running_var|num_batches_tracked)$/.test(v.name));
  const total = params.reduce((a, v) => a + v.size, 0);
  const modules = new Map<string, number>();
  for (const v of params) modules.set(moduleOf(v.name), (modules.get(moduleOf(v.name)) ?? 0) + v.size);
  const trainable = Object.fromEntries(
    STRATEGIES.map((s) => {
      const count = params.filter((v) => isTrainable(s, v.name, v.fixed)).reduce((a, v) => a + v.size, 0);
      return [s, { count, share: total ? count / total : 0 }];
    }),
  ) as ModelSummary['trainable'];
  return { architecture: describeArchitecture(cfg), modules: [...modules].map(([module, parameters]) => ({ module, parameters })), total, trainable };
}

function describeArchitecture(cfg: TtmConfig): ModelSummary['architecture'] {
  const levels = Array.from({ length: cfg.adaptive_patching_levels }, (_, j) => {
    const f = levelFactor(cfg.d_model, cfg.adaptive_patching_levels - 1 - j);
    return `${cfg.num_patches * f}x${cfg.d_model / f}`;
  });
  return {
    context_length: cfg.context_length,
    prediction_length: cfg.prediction_length,
    output_horizon: outputHorizon(cfg),
    channels: cfg.num_input_channels,
    forecast_channels: forecastChannels(cfg).join(','),
    patches: `${cfg.num_patches} x ${cfg.patch_length} (stride ${cfg.patch_stride})`,
    encoder: `${cfg.mode}, d_model ${cfg.d_model}, ${cfg.num_layers} layers${levels.length ? ` per level; adaptive levels ${levels.join(' -> ')}` : ''}`,
    decoder: cfg.use_decoder ? `${cfg.decoder_mode}, d_model ${cfg.decoder_d_model}, ${cfg.decoder_num_layers} layers` : 'none',
    categorical: cfg.categorical_vocab_size_list ? cfg.categorical_vocab_size_list.join(',') : null,
    frequency_prefix: cfg.resolution_prefix_tuning,
    forecast_channel_mixing: cfg.enable_forecast_channel_mixing,
    scaling: String(cfg.scaling),
    norm: cfg.norm_mlp,
    loss: cfg.loss,
  };
}
