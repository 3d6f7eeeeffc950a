/**
 * One optimizer step: the configured loss in training mode, gradients of the trainable
 * variables only, AdamW with the schedule's lr and beta1. Everything temporary is disposed.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Encoded, TtmInputs, TtmModel, LossName } from '../model/index.js';
import { assertGradients } from '../runtime/gradients.js';
import type { AdamW } from './adamw.js';

export interface StepOptions {
  lr: number;
  beta1?: number;
  /** Override the model's configured loss. */
  loss?: LossName;
  nextSeed?: () => number;
}

/** Trainable variables by parameter-tree path (stable across processes, unlike tf's own names). */
export function trainableVariables(model: TtmModel, isTrainable: (path: string) => boolean): Record<string, tf.Variable> {
  return Object.fromEntries(model.namedVariables().filter(([path, v]) => v.trainable && v.dtype === 'float32' && isTrainable(path)));
}

/** Returns the batch loss (before the update). */
export function trainStep(model: TtmModel, optimizer: AdamW, vars: Record<string, tf.Variable>, inputs: TtmInputs, o: StepOptions): number {
  const { loss, grads } = shardGradients(model, vars, inputs, o);
  optimizer.applyGradients(Object.fromEntries(grads), { lr: o.lr, beta1: o.beta1 });
  return loss;
}

/**
 * Loss and gradients of one shard of a batch, read into plain arrays (for data-parallel
 * training: the shards' gradients are combined before one optimizer step).
 */
export function shardGradients(
  model: TtmModel,
  vars: Record<string, tf.Variable>,
  inputs: TtmInputs,
  o: Omit<StepOptions, 'lr' | 'beta1'>,
): { loss: number; grads: Map<string, Float32Array> } {
  assertGradients();
  const pathOf = new Map(Object.entries(vars).map(([path, v]) => [v.name, path]));
  // A frozen backbone runs before the tape: nothing is recorded or saved for it.
  const encoded = backboneFrozen(vars)
    ? (tf.tidy(() => model.encode(inputs, { isTraining: true, nextSeed: o.nextSeed }) as unknown as tf.TensorContainer) as unknown as Encoded)
    : undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward(inputs, { isTraining: true, loss: o.loss, nextSeed: o.nextSeed, encoded });
    if (!out.loss) throw new Error('shardGradients: no loss (future_values missing or loss null)');
    return out.loss;
  }, Object.values(vars));
  const arrays = new Map<string, Float32Array>();
  for (const [name, g] of Object.entries(grads)) {
    // A copy: on the cpu backend dataSync hands out the storage itself, and these arrays move to another thread.
    if (g) arrays.set(pathOf.get(name)!, (g.dataSync() as Float32Array).slice());
    g?.dispose();
  }
  const loss = value.dataSync()[0];
  value.dispose();
  // (encoded.past is the caller's pastValues itself when no slicing was needed)
  if (encoded) tf.dispose(Object.values(encoded).filter((t) => !Object.values(inputs).includes(t)));
  return { loss, grads: arrays };
}

/** No trainable parameter in the backbone (IBM's decoder-head fine-tuning). */
export function backboneFrozen(vars: Record<string, tf.Variable>): boolean {
  return !Object.keys(vars).some((path) => path.startsWith('backbone.'));
}

/**
 * Before training: no stale inference cache (cached weights get no gradient), and a frozen
 * backbone's Linear weights transposed once for the whole run. Returns the undo.
 */
export function prepareForTraining(model: TtmModel, vars: Record<string, tf.Variable>): () => void {
  model.dropInferenceCache();
  if (backboneFrozen(vars)) model.prepareForInference((path) => path.startsWith('backbone.'));
  return () => model.dropInferenceCache();
}
