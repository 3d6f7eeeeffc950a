/**
 * Range checks of the model's integer inputs (static categorical values, frequency token) on
 * plain arrays, where a batch is built. The forward itself does not read tensor values back
 * (a dataSync would block every forward until the device is done).
 */
import { ShapeError } from '../errors.js';
import type { TtmConfig } from './config.js';

/** Integer inputs are truncated like `.long()`; out-of-range values name the sample. values: [B·K] row-major */
export function checkIndexValues(values: ArrayLike<number>, vocab: readonly number[], name: string): void {
  const K = vocab.length;
  for (let i = 0; i < values.length; i++) {
    const v = Math.trunc(values[i]);
    const k = i % K;
    if (!(v >= 0 && v < vocab[k])) {
      throw new ShapeError(`${name}[${Math.floor(i / K)}, ${k}] = ${values[i]} is outside 0..${vocab[k] - 1}`);
    }
  }
}

/** The vocabulary sizes a batch's integer inputs are checked against. */
export interface IndexVocab {
  /** categorical_vocab_size_list */
  categorical?: readonly number[] | null;
  /** frequency_token_vocab_size, for models with resolution prefix tuning */
  freq?: number;
}

export function indexVocab(cfg: TtmConfig): IndexVocab {
  return { categorical: cfg.categorical_vocab_size_list, ...(cfg.resolution_prefix_tuning ? { freq: cfg.frequency_token_vocab_size } : {}) };
}

/** Checks a batch's static categorical values [B·K] and frequency tokens [B] (either may be absent). */
export function checkIndexInputs(vocab: IndexVocab, inputs: { staticCategorical?: ArrayLike<number>; freqToken?: ArrayLike<number> }): void {
  if (inputs.staticCategorical && vocab.categorical?.length) checkIndexValues(inputs.staticCategorical, vocab.categorical, 'static_categorical_values');
  if (inputs.freqToken && vocab.freq !== undefined) checkIndexValues(inputs.freqToken, [vocab.freq], 'freq_token');
}
