/** Fresh-weight initialisers (PyTorch's defaults), drawn from a seeded generator. */
import { Rng } from '../runtime/rng.js';

export interface Initializer {
  /** n values uniform in (−bound, bound). */
  uniform(n: number, bound: number): Float32Array;
  /** n values normal(0, std). */
  normal(n: number, std: number): Float32Array;
}

export function seededInitializer(seed: number): Initializer {
  const rng = new Rng(seed);
  return {
    uniform: (n, bound) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound),
    normal: (n, std) => Float32Array.from({ length: n }, () => rng.normal() * std),
  };
}
