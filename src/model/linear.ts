/**
 * Linear layer y = x · Wᵀ + b with W in PyTorch layout [out, in].
 *
 * On tfjs-backend-wasm a matMul with transposeA/transposeB runs ~10x slower than a plain 2-D
 * matMul, and tf.grad of a matMul uses exactly those forms. So the product always runs on a
 * compute-layout copy Wᵀ [in, out] (made by an explicit transpose, or cached for inference) and
 * the layer has its own gradient that transposes explicitly. The cached copies belong to the
 * model (its InferenceCache, passed down in the forward context).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InferenceCache } from './inference-cache.js';

export interface LinearParams {
  weight: tf.Variable; // [out, in]
  bias: tf.Variable; // [out]
}

/**
 * Plain 2-D product with an explicit-transpose gradient. x [M, in], w [out, in], b [out] → [M, out]
 * Taking W itself (not Wᵀ) lets the backward use it as is for dx and return dW directly, and dW
 * transposes the narrower of the two activations (wasm's Transpose costs about half a matMul).
 */
const linear2d = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  const value = tf.add(tf.matMul(x as tf.Tensor2D, tf.transpose(w as tf.Tensor2D)), b);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      const [out, inDim] = ws.shape;
      const dW =
        out <= inDim
          ? tf.matMul(tf.transpose(dy2), xs) // [out, M]·[M, in]
          : tf.transpose(tf.matMul(tf.transpose(xs), dy2)); // ([in, M]·[M, out])ᵀ
      return [
        tf.matMul(dy2, ws), // dx [M, in]
        dW, // [out, in]
        tf.sum(dy2, 0), // db [out]
      ];
    },
  };
}) as never) as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * Inference only (the cached copy is detached from the weight, so no gradient can flow): one
 * fused matMul + bias kernel, called directly to skip the op wrappers' reshapes and scopes.
 * x [1, M, in], wT [1, in, out], b [out] → [1, M, out]
 */
function inferenceProduct(x: tf.Tensor, wT: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const attrs = { transposeA: false, transposeB: false, activation: 'linear' };
  return tf.engine().runKernel('_FusedMatMul', { a: x, b: wT, bias: b }, attrs) as tf.Tensor;
}

const isRows3 = (x: tf.Tensor) => x.rank === 3 && x.shape[0] === 1;

/**
 * x [..., in] as the rows this layer's product takes: [1, M, in] on the cached (inference) path,
 * [M, in] otherwise. A chain of layers fed these rows (an MLP and its gate) runs without the
 * reshapes each layer would otherwise make on the way in and out.
 */
export function asRows(p: LinearParams, x: tf.Tensor, cache?: InferenceCache): tf.Tensor {
  const inDim = x.shape[x.rank - 1];
  if (cache?.copyOf(p.weight)) return isRows3(x) ? x : tf.reshape(x, [1, -1, inDim]);
  return x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
}

/** Apply over the last axis of x [..., in] → [..., out]; with the model's cache, on the cached copy. */
export function linear<T extends tf.Tensor>(p: LinearParams, x: T, cache?: InferenceCache): T {
  const [out] = p.weight.shape;
  const cached = cache?.copyOf(p.weight);
  const rows = asRows(p, x, cache);
  const y = cached ? inferenceProduct(rows, cached.wT, cached.bias ?? p.bias) : linear2d(rows, p.weight, p.bias);
  return (rows === x ? y : tf.reshape(y, [...x.shape.slice(0, -1), out])) as T;
}

/** PyTorch's default init: weight and bias uniform in ±1/√fan_in. */
export function initLinear(inDim: number, outDim: number, uniform: (n: number, bound: number) => Float32Array): LinearParams {
  const bound = 1 / Math.sqrt(inDim);
  return {
    weight: tf.variable(tf.tensor2d(uniform(outDim * inDim, bound), [outDim, inDim])),
    bias: tf.variable(tf.tensor1d(uniform(outDim, bound))),
  };
}
