/**
 * The product design's model configuration (TinyTimeMixerConfig fields): 104 weeks of context,
 * 26 ahead, vendas + faturamento, patches of 8, a mix_channel decoder with the UF as a static
 * categorical. The UF vocabulary size is replaced by the data's when training.
 */
export const DESIGN_CONFIG = {
  adaptive_patching_levels: 0,
  categorical_vocab_size_list: [6],
  context_length: 104,
  d_model: 16,
  decoder_adaptive_patching_levels: 0,
  decoder_d_model: 8,
  decoder_mode: 'mix_channel',
  decoder_num_layers: 8,
  decoder_raw_residual: false,
  dropout: 0.0,
  enable_forecast_channel_mixing: false,
  expansion_factor: 2,
  gated_attn: true,
  head_dropout: 0.0,
  loss: 'mse',
  mode: 'common_channel',
  norm_mlp: 'LayerNorm',
  num_input_channels: 2,
  num_layers: 3,
  patch_length: 8,
  patch_stride: 8,
  prediction_channel_indices: [0, 1],
  prediction_length: 26,
  resolution_prefix_tuning: false,
  scaling: 'std',
  self_attn: false,
  use_positional_encoding: false,
} as const;
