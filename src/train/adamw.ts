/**
 * AdamW with PyTorch's `torch.optim.AdamW` semantics (1.13, amsgrad off): decoupled weight decay
 * applied to the parameter before the Adam step, bias correction from each parameter's own step
 * count, eps added outside the square root of the corrected second moment. The schedule sets lr
 * and beta1 per step (OneCycle's momentum cycling), as PyTorch's scheduler writes them into the
 * parameter group; bias correction uses the beta1 in force, as PyTorch does.
 *
 * Owns its moment variables: call `dispose()` when done.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, ShapeError } from '../errors.js';
import { parseSafetensors, serializeSafetensors, type TensorToWrite } from '../io/safetensors.js';

export interface AdamWOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

/** Hyper-parameters in force (PyTorch's parameter group). */
export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** One parameter's optimizer state, as plain data. */
export interface AdamWParamState {
  /** Optimizer steps this parameter has taken (PyTorch's `state['step']`). */
  step: number;
  /** First moment, flattened, same element order as the parameter. */
  expAvg: Float32Array;
  /** Second moment, flattened. */
  expAvgSq: Float32Array;
}

/** Everything a checkpoint needs to continue the optimizer exactly. */
export interface AdamWState {
  hyper: AdamWHyper;
  params: Record<string, AdamWParamState>;
}

/** Parameters by name; an array is named by each variable's own `name` (as `tf.variableGrads` keys them). */
export type NamedVariables = Record<string, tf.Variable> | readonly tf.Variable[];

/**
 * The moments live in plain Float32Arrays and the update runs in JavaScript: TTM's parameters
 * are a few hundred small tensors, and one tf kernel per operation per tensor (about 14 x 247
 * for the design's model) cost ~27 ms a step on wasm, against ~5 ms for this loop.
 */
interface Slot {
  param: tf.Variable;
  expAvg: Float32Array;
  expAvgSq: Float32Array;
  step: number;
}

/** PyTorch's AdamW defaults. */
const DEFAULTS: AdamWHyper = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 };

export class AdamW {
  private readonly slots = new Map<string, Slot>();
  private hp: AdamWHyper;

  constructor(params: NamedVariables, options: AdamWOptions = {}) {
    this.hp = {
      lr: options.lr ?? DEFAULTS.lr,
      beta1: options.betas?.[0] ?? DEFAULTS.beta1,
      beta2: options.betas?.[1] ?? DEFAULTS.beta2,
      eps: options.eps ?? DEFAULTS.eps,
      weightDecay: options.weightDecay ?? DEFAULTS.weightDecay,
    };
    const entries: [string, tf.Variable][] = Array.isArray(params)
      ? (params as readonly tf.Variable[]).map((v) => [v.name, v])
      : Object.entries(params as Record<string, tf.Variable>);
    for (const [name, param] of entries) {
      if (this.slots.has(name)) throw new ShapeError(`AdamW: parameter "${name}" is listed twice`);
      this.slots.set(name, { param, expAvg: new Float32Array(param.size), expAvgSq: new Float32Array(param.size), step: 0 });
    }
  }

  /** Parameter names in the order given. */
  get names(): string[] {
    return [...this.slots.keys()];
  }

  /** The hyper-parameters that the next step will use. */
  get hyper(): AdamWHyper {
    return { ...this.hp };
  }

  /**
   * One optimizer step. `grads` maps parameter names to gradients of the same shape (owned by
   * the caller; tensors or plain arrays); a parameter without a gradient is skipped entirely, as
   * PyTorch skips `grad is None`. Returns the updated values (for copies held elsewhere). `set` changes lr and/or beta1 for this and later steps (the schedule's values).
   */
  applyGradients(grads: Record<string, tf.Tensor | Float32Array>, set: { lr?: number; beta1?: number } = {}): Map<string, Float32Array> {
    if (set.lr !== undefined) this.hp.lr = set.lr;
    if (set.beta1 !== undefined) this.hp.beta1 = set.beta1;
    for (const [name, g] of Object.entries(grads)) {
      const slot = this.slots.get(name);
      if (slot === undefined) throw new ShapeError(`AdamW: gradient for unknown parameter "${name}"`);
      if (g instanceof Float32Array ? g.length !== slot.param.size : !sameShape(g.shape, slot.param.shape)) {
        const got = g instanceof Float32Array ? `${g.length} values` : `shape [${g.shape}]`;
        throw new ShapeError(`AdamW: gradient for "${name}" has ${got}, parameter has shape [${slot.param.shape}]`);
      }
    }
    const updated = new Map<string, Float32Array>();
    const { lr, beta1, beta2, eps, weightDecay } = this.hp;
    for (const [name, slot] of this.slots) {
      const g = grads[name];
      if (g === undefined) continue;
      slot.step += 1;
      const t = slot.step;
      const grad = g instanceof Float32Array ? g : g.dataSync();
      const param = slot.param.dataSync();
      const { expAvg: m, expAvgSq: v } = slot;
      const decay = Math.fround(1 - lr * weightDecay);
      const stepSize = lr / (1 - beta1 ** t);
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const next = new Float32Array(param.length);
      for (let i = 0; i < next.length; i++) {
        const gi = grad[i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        const p = Math.fround(param[i] * decay);
        next[i] = p - (m[i] / (Math.sqrt(v[i]) / bc2Sqrt + eps)) * stepSize;
      }
      const value = tf.tensor(next, slot.param.shape, 'float32');
      slot.param.assign(value);
      value.dispose();
      updated.set(name, next);
    }
    return updated;
  }

  /** Hyper-parameters and moments as plain typed arrays (copies). */
  getState(): AdamWState {
    const params: Record<string, AdamWParamState> = {};
    for (const [name, s] of this.slots) {
      params[name] = {
        step: s.step,
        expAvg: s.expAvg.slice(),
        expAvgSq: s.expAvgSq.slice(),
      };
    }
    return { hyper: { ...this.hp }, params };
  }

  /** Restore a state from `getState()`; names and sizes must match this optimizer's parameters. */
  setState(state: AdamWState): void {
    const names = Object.keys(state.params);
    for (const name of names) {
      if (!this.slots.has(name)) throw new CheckpointError(`optimizer state: unexpected parameter "${name}"`);
    }
    for (const [name, s] of this.slots) {
      const ps = state.params[name];
      if (ps === undefined) {
        throw new CheckpointError(`optimizer state: missing parameter "${name}" (shape [${s.param.shape}])`);
      }
      const n = s.param.size;
      if (ps.expAvg.length !== n || ps.expAvgSq.length !== n) {
        throw new CheckpointError(
          `optimizer state: "${name}" has ${ps.expAvg.length}/${ps.expAvgSq.length} moment values, expected ${n} (shape [${s.param.shape}])`,
        );
      }
      if (!Number.isInteger(ps.step) || ps.step < 0) {
        throw new CheckpointError(`optimizer state: "${name}" has step ${ps.step}`);
      }
    }
    for (const [name, s] of this.slots) {
      const ps = state.params[name];
      s.expAvg = Float32Array.from(ps.expAvg);
      s.expAvgSq = Float32Array.from(ps.expAvgSq);
      s.step = ps.step;
    }
    this.hp = { ...state.hyper };
  }

  /** Drop the moments (the parameters belong to the model). */
  dispose(): void {
    this.slots.clear();
  }
}

const MOMENTS = { expAvg: 'exp_avg', expAvgSq: 'exp_avg_sq' } as const;

/**
 * The state as one safetensors file for a checkpoint: flat F32 tensors `exp_avg.<name>` and
 * `exp_avg_sq.<name>`, with the hyper-parameters and step counts as JSON in the metadata.
 */
export function adamwStateToBytes(state: AdamWState): Uint8Array {
  const tensors = new Map<string, TensorToWrite>();
  const steps: Record<string, number> = {};
  for (const [name, p] of Object.entries(state.params)) {
    tensors.set(`${MOMENTS.expAvg}.${name}`, { dtype: 'F32', shape: [p.expAvg.length], data: p.expAvg });
    tensors.set(`${MOMENTS.expAvgSq}.${name}`, { dtype: 'F32', shape: [p.expAvgSq.length], data: p.expAvgSq });
    steps[name] = p.step;
  }
  return serializeSafetensors(tensors, { format: 'ttm-adamw', hyper: JSON.stringify(state.hyper), steps: JSON.stringify(steps) });
}

/** Read what `adamwStateToBytes` wrote; `source` names the file in errors. */
export function adamwStateFromBytes(bytes: Uint8Array, source: string): AdamWState {
  const { tensors, metadata } = parseSafetensors(bytes, source);
  if (metadata.format !== 'ttm-adamw' || !metadata.hyper || !metadata.steps) {
    throw new CheckpointError(`${source}: not an AdamW state (metadata format "${metadata.format}")`);
  }
  let hyper: AdamWHyper;
  let steps: Record<string, number>;
  try {
    hyper = JSON.parse(metadata.hyper) as AdamWHyper;
    steps = JSON.parse(metadata.steps) as Record<string, number>;
  } catch (err) {
    throw new CheckpointError(`${source}: unreadable AdamW metadata`, { cause: err });
  }
  const params: Record<string, AdamWParamState> = {};
  for (const [name, step] of Object.entries(steps)) {
    const m = tensors.get(`${MOMENTS.expAvg}.${name}`);
    const v = tensors.get(`${MOMENTS.expAvgSq}.${name}`);
    if (m?.dtype !== 'F32' || v?.dtype !== 'F32') throw new CheckpointError(`${source}: moments of "${name}" missing or not F32`);
    params[name] = { step, expAvg: Float32Array.from(m.data), expAvgSq: Float32Array.from(v.data) };
  }
  if (tensors.size !== 2 * Object.keys(params).length) {
    throw new CheckpointError(`${source}: ${tensors.size} tensors for ${Object.keys(params).length} parameters`);
  }
  return { hyper, params };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
