/**
 * LayerNorm over the last axis as one kernel for inference on the wasm and cpu backends. Composed
 * from tfjs ops it is 9 kernels (mean, sub, square, mean, add, rsqrt, mul, mul, add), each with
 * the engine's fixed cost; at batch 1 the whole forward is such fixed costs. Here one JavaScript
 * pass per row reads the tensor where the backend keeps it (the wasm heap, or the cpu backend's
 * array), with the row statistics in float64. Training keeps the composed form and its gradient.
 */
import * as tf from '@tensorflow/tfjs-core';

export const LAYER_NORM_KERNEL = 'TtmLayerNorm';

/** out[r] = (x[r] − mean)/√(var + eps) ⊙ weight + bias for every row r of width d (pure). */
export function layerNormRows(x: Float32Array, d: number, eps: number, out: Float32Array, weight?: Float32Array, bias?: Float32Array): void {
  for (let start = 0; start < x.length; start += d) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += x[start + j];
    const mean = sum / d;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const c = x[start + j] - mean;
      sq += c * c;
    }
    const rstd = 1 / Math.sqrt(sq / d + eps);
    if (weight && bias) for (let j = 0; j < d; j++) out[start + j] = (x[start + j] - mean) * rstd * weight[j] + bias[j];
    else for (let j = 0; j < d; j++) out[start + j] = (x[start + j] - mean) * rstd;
  }
}

interface Attrs {
  eps: number;
}
type Inputs = { x: tf.TensorInfo; weight?: tf.TensorInfo; bias?: tf.TensorInfo };

/** Where each backend keeps a tensor's values, and how it makes an output. */
interface Access {
  read(backend: unknown, t: tf.TensorInfo): Float32Array;
  output(backend: unknown, shape: number[]): { info: tf.TensorInfo; values: Float32Array };
}

const ACCESS: Record<string, Access> = {
  wasm: {
    read: (b, t) => (b as { typedArrayFromHeap(t: tf.TensorInfo): Float32Array }).typedArrayFromHeap(t),
    output: (b, shape) => {
      const be = b as { makeOutput(s: number[], d: string): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array };
      const info = be.makeOutput(shape, 'float32');
      return { info, values: be.typedArrayFromHeap(info) };
    },
  },
  cpu: {
    read: (b, t) => (b as { data: { get(id: unknown): { values: Float32Array } } }).data.get(t.dataId).values,
    output: (b, shape) => {
      const values = new Float32Array(shape.reduce((a, n) => a * n, 1));
      const info = (b as { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo }).makeTensorInfo(shape, 'float32', values);
      return { info, values };
    },
  },
};

const registered = new Set<string>();

function register(backendName: string): boolean {
  const access = ACCESS[backendName];
  if (!access) return false;
  if (!registered.has(backendName)) {
    tf.registerKernel({
      kernelName: LAYER_NORM_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, weight, bias } = inputs as unknown as Inputs;
        const { eps } = attrs as unknown as Attrs;
        const out = access.output(backend, x.shape);
        const w = weight && access.read(backend, weight);
        const b = bias && access.read(backend, bias);
        layerNormRows(access.read(backend, x), x.shape[x.shape.length - 1], eps, out.values, w, b);
        return out.info;
      },
    });
    registered.add(backendName);
  }
  return true;
}

/** The one-kernel LayerNorm, or undefined on a backend without it (the caller composes ops). */
export function layerNormKernel(x: tf.Tensor, eps: number, weight?: tf.Tensor, bias?: tf.Tensor): tf.Tensor | undefined {
  if (x.dtype !== 'float32' || !register(tf.getBackend())) return undefined;
  const inputs = weight && bias ? { x, weight, bias } : { x };
  return tf.engine().runKernel(LAYER_NORM_KERNEL, inputs as unknown as tf.NamedTensorMap, { eps } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
