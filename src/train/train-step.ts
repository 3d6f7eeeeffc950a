/**
 * One optimizer step: the configured loss in training mode, gradients of the trainable
 * variables only, AdamW with the schedule's lr and beta1. Everything temporary is disposed.
 */
import * as tf from '@tensorflow/tfjs';
import type { TtmInputs, TtmModel, LossName } from '../model/index.js';
import type { AdamW } from './adamw.js';

export interface StepOptions {
  lr: number;
  beta1?: number;
  /** Override the model's configured loss. */
  loss?: LossName;
  nextSeed?: () => number;
}

/** Trainable variables keyed by their tf name (what tf.variableGrads and AdamW use). */
export function trainableVariables(model: TtmModel, isTrainable: (path: string) => boolean): tf.Variable[] {
  return model
    .namedVariables()
    .filter(([path, v]) => v.trainable && v.dtype === 'float32' && isTrainable(path))
    .map(([, v]) => v);
}

/** Returns the batch loss (before the update). */
export function trainStep(model: TtmModel, optimizer: AdamW, vars: tf.Variable[], inputs: TtmInputs, o: StepOptions): number {
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward(inputs, { isTraining: true, loss: o.loss, nextSeed: o.nextSeed });
    if (!out.loss) throw new Error('trainStep: no loss (future_values missing or loss null)');
    return out.loss;
  }, vars);
  const present: Record<string, tf.Tensor> = {};
  for (const [name, g] of Object.entries(grads)) if (g) present[name] = g;
  optimizer.applyGradients(present, { lr: o.lr, beta1: o.beta1 });
  const loss = value.dataSync()[0];
  value.dispose();
  for (const g of Object.values(grads)) g?.dispose();
  return loss;
}
