export * from './config.js';
export { TtmModel, disposeInputs, type Encoded, type TtmInputs, type TtmOutputs, type ForwardOptions } from './ttm.js';
export { flattenParams, type TtmParams } from './params.js';
export { forecastLoss, type LossName } from './loss.js';
export { levelFactor } from './mixer-block.js';
export { patchCount } from './patching.js';
export { referenceOutputs, type NamedArray, type ReferenceOutputOptions } from './reference-outputs.js';
export { STRATEGIES, STRATEGY_TEXT, isTrainable, type Strategy } from './trainable.js';
export { summarise, type ModelSummary } from './summary.js';
