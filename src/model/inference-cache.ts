/**
 * A model's inference state: compute-layout copies of its Linear weights (Wᵀ [1, in, out], see
 * linear.ts) and which MLPs and LayerNorms were folded into them (inference-folds.ts). Owned by
 * one TtmModel and freed by its dispose(), so two models (two versions of a served model during
 * a hot swap) each keep their own, and nothing lives at module level.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LinearParams } from './linear.js';
import type { MlpParams } from './mlp.js';
import type { NormParams } from './norm.js';

/** A compute-layout copy Wᵀ [1, in, out], and the bias to use with it when folding changed it. */
export interface ComputeCopy {
  wT: tf.Tensor3D;
  bias?: tf.Tensor1D;
}

/**
 * Affine maps folded into a layer's cached copy, y' = outFactor·(W·(inScale ⊙ x·inFactor + inShift) + b):
 * a LayerNorm's weight and bias before the layer, GELU's constant factors around it.
 */
export interface LinearFold {
  inScale?: tf.Tensor; // [in]
  inShift?: tf.Tensor; // [in]
  inFactor?: number;
  outFactor?: number;
}

export class InferenceCache {
  private readonly copies = new Map<tf.Variable, ComputeCopy>();
  private readonly foldedMlps = new Set<MlpParams>();
  private readonly foldedNorms = new Set<NormParams>();

  /** The cached copy of a weight, if any (the layer then runs the inference product). */
  copyOf(weight: tf.Variable): ComputeCopy | undefined {
    return this.copies.get(weight);
  }

  /** Keep Wᵀ for each 2-D weight so inference does not transpose on every call. */
  cacheComputeLayout(weights: tf.Variable[]): void {
    for (const w of weights) {
      if (w.rank !== 2) continue;
      this.drop(w);
      this.copies.set(w, { wT: tf.tidy(() => tf.expandDims(tf.transpose(w as tf.Tensor2D), 0)) as tf.Tensor3D }); // [1, in, out]
    }
  }

  /** A layer's copy with affine maps folded in (see LinearFold). */
  cacheFolded(p: LinearParams, f: LinearFold): void {
    this.drop(p.weight);
    const copy = tf.tidy(() => {
      let w: tf.Tensor = p.weight;
      if (f.inScale) w = tf.mul(w, f.inScale);
      const scale = (f.inFactor ?? 1) * (f.outFactor ?? 1);
      if (scale !== 1) w = tf.mul(w, scale);
      let bias: tf.Tensor = p.bias;
      if (f.inShift) bias = tf.add(bias, tf.reshape(tf.matMul(p.weight, tf.reshape(f.inShift, [-1, 1])), [-1]));
      if (f.outFactor !== undefined && f.outFactor !== 1) bias = tf.mul(bias, f.outFactor);
      return { wT: tf.expandDims(tf.transpose(w as tf.Tensor2D), 0) as tf.Tensor3D, bias: tf.clone(bias) as tf.Tensor1D };
    });
    this.copies.set(p.weight, copy);
  }

  markFolded(mlp: MlpParams, norm?: NormParams): void {
    this.foldedMlps.add(mlp);
    if (norm) this.foldedNorms.add(norm);
  }

  isFoldedMlp(p: MlpParams): boolean {
    return this.foldedMlps.has(p);
  }

  /** A LayerNorm whose weight and bias live in the next Linear: it only standardises. */
  isFoldedNorm(p: NormParams): boolean {
    return this.foldedNorms.has(p);
  }

  /** Number of cached copies (tests). */
  get size(): number {
    return this.copies.size;
  }

  /** Frees every cached tensor and forgets the folds (after a weight update, or on dispose). */
  clear(): void {
    for (const c of this.copies.values()) {
      c.wT.dispose();
      c.bias?.dispose();
    }
    this.copies.clear();
    this.foldedMlps.clear();
    this.foldedNorms.clear();
  }

  private drop(w: tf.Variable): void {
    const c = this.copies.get(w);
    c?.wT.dispose();
    c?.bias?.dispose();
    this.copies.delete(w);
  }
}
