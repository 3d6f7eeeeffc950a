/**
 * Categorical vocabularies: the file's `uf_cat` and `produto_cat` codes → contiguous model indices
 * 0 … n-1 (sorted codes, so the mapping does not depend on row order).
 */
import { DataError } from '../errors.js';
import type { SeriesKey } from './series.js';

export interface Vocab {
  /** regiao[i] is the uf_cat code of index i */
  regiao: number[];
  /** produto[i] is the produto_cat code of index i */
  produto: number[];
}

/** The vocabulary of a set of series keys. */
export function buildVocab(keys: readonly SeriesKey[]): Vocab {
  const sorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  return { regiao: sorted(keys.map((k) => k.regiao)), produto: sorted(keys.map((k) => k.produto)) };
}

/** Index of `code` in a sorted vocabulary list; DataError when it is not there. */
export function encode(codes: readonly number[], code: number, column: 'uf_cat' | 'produto_cat'): number {
  let lo = 0;
  let hi = codes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (codes[mid] === code) return mid;
    if (codes[mid] < code) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new DataError(`${column} ${code} is not in the model's vocabulary (knows ${codes.length} codes: ${codes.slice(0, 10).join(', ')}${codes.length > 10 ? ', …' : ''})`, {
    hint: 'the model was trained without this code; retrain with data that includes it',
  });
}
