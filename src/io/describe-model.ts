/** `ttm info`: summarise a checkpoint, or the design's configuration when none is given. */
import { DESIGN_CONFIG } from '../config/design-config.js';
import { makeTtmConfig, STRATEGY_TEXT, summarise, TtmModel } from '../model/index.js';
import { loadModel } from './checkpoint.js';
import { pytorchKey } from './weight-map.js';

export async function describeModel(dir: string | undefined) {
  const model = dir
    ? (await loadModel(dir)).model
    : TtmModel.create(makeTtmConfig({ ...DESIGN_CONFIG, categorical_vocab_size_list: [...DESIGN_CONFIG.categorical_vocab_size_list], prediction_channel_indices: [...DESIGN_CONFIG.prediction_channel_indices] }));
  try {
    const summary = summarise(model, pytorchKey);
    return { source: dir ?? "built-in design configuration (104 -> 26 weeks, vendas + faturamento, UF categorical)", summary: { ...summary, rules: STRATEGY_TEXT } };
  } finally {
    model.dispose();
  }
}
