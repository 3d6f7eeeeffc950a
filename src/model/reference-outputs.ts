/**
 * Everything the reference fixtures record for one forward call, as named plain arrays:
 * outputs, loss and loss_by_type, hidden_states.NN, intermediate.*, and (on request) the
 * gradient of the configured loss for every parameter in training mode.
 * Used by `ttm forward` and by the parity tests.
 */
import * as tf from '@tensorflow/tfjs-core';
import { enableGradients } from '../runtime/gradients.js';
import type { LossName } from './loss.js';
import type { TtmInputs, TtmModel } from './ttm.js';

export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

export interface ReferenceOutputOptions {
  grads?: boolean;
  hiddenStates?: boolean;
  intermediates?: boolean;
}

const LOSSES: LossName[] = ['mse', 'mae', 'huber', 'pinball'];
/** The fixtures record loss_by_type.pinball at quantile 0.9 (huber at the configured delta). */
const PINBALL_QUANTILE = 0.9;

async function toNamed(t: tf.Tensor): Promise<NamedArray> {
  return { shape: t.shape, data: Float32Array.from(await t.data()) };
}

/**
 * Returns a map from the fixtures' key names to values. Gradient keys are `grad.<tree path>`
 * (the caller maps paths to PyTorch names). Leaves no tensor behind.
 */
export async function referenceOutputs(
  model: TtmModel,
  inputs: TtmInputs,
  options: ReferenceOutputOptions = {},
): Promise<Map<string, NamedArray>> {
  const out = new Map<string, NamedArray>();
  const kept = tf.tidy(() => {
    const r = model.forward(inputs, {
      collectHiddenStates: options.hiddenStates,
      collectIntermediates: options.intermediates,
    });
    const named: [string, tf.Tensor][] = [
      ['prediction_outputs', r.predictionOutputs],
      ['backbone_hidden_state', r.backboneHiddenState],
      ['decoder_hidden_state', r.decoderHiddenState],
      ['loc', r.loc],
      ['scale', r.scale],
    ];
    if (r.loss) named.push(['loss', r.loss]);
    r.hiddenStates.forEach((t, i) => named.push([`hidden_states.${String(i).padStart(2, '0')}`, t]));
    for (const [k, t] of Object.entries(r.intermediates)) named.push([`intermediate.${k}`, t]);
    if (inputs.futureValues) {
      for (const name of LOSSES) {
        const l = model.forward(inputs, { loss: name, quantile: name === 'pinball' ? PINBALL_QUANTILE : undefined }).loss;
        if (l) named.push([`loss_by_type.${name}`, l]);
      }
    }
    return named.map(([k, t]) => [k, tf.keep(t)] as [string, tf.Tensor]);
  });
  for (const [k, t] of kept) out.set(k, await toNamed(t));
  // The same tensor can appear under two names (e.g. the last hidden state is the decoder output).
  for (const t of new Set(kept.map(([, t]) => t))) t.dispose();
  if (options.grads && inputs.futureValues && model.config.loss) {
    await enableGradients();
    const variables = model.namedVariables().filter(([, v]) => v.dtype === 'float32');
    const { grads, value } = tf.variableGrads(
      () => model.forward(inputs, { isTraining: true }).loss as tf.Scalar,
      variables.map(([, v]) => v),
    );
    value.dispose();
    const byId = new Map(variables.map(([path, v]) => [v.name, path]));
    for (const [name, g] of Object.entries(grads)) {
      if (!g) continue; // a parameter the loss does not reach
      out.set(`grad.${byId.get(name)}`, await toNamed(g));
      g.dispose();
    }
  }
  return out;
}
