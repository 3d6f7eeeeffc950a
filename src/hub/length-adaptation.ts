/**
 * How to use a checkpoint whose lengths differ from the data's, as a plain description:
 * which part of the history it reads, how far its forecast is filtered, which frequency token
 * it gets. Pure: callers (train --pretrained, predict, serve) apply it and print `sentence`.
 */
import { CheckpointError, DataError, UsageError } from '../errors.js';
import { FREQUENCY_TOKENS, frequencyToken } from './frequency.js';

/** The config.json fields that matter here, verbatim. */
export interface CheckpointLengths {
  context_length: number;
  prediction_length: number;
  resolution_prefix_tuning?: boolean;
  frequency_token_vocab_size?: number;
}

export interface DataLengths {
  /** Steps of history available (or wanted) as input. */
  context: number;
  /** Steps to forecast. */
  horizon: number;
  /** Pandas-style frequency of the data, e.g. W. */
  freq?: string;
}

export interface LengthAdaptation {
  /** Feed the model the last `readLast` steps of the history. */
  readLast: number;
  /** Zeros to put before the history (only when `shortContext: 'pad'` and the data is short). */
  padBefore: number;
  /** Config override: forecast only the first `horizon` steps; null when the lengths agree. */
  predictionFilterLength: number | null;
  /** Frequency token for resolution prefix tuning; null when the checkpoint has none. */
  freqToken: number | null;
  sentence: string;
}

export interface AdaptOptions {
  /** What to do with less history than the checkpoint reads. */
  shortContext?: 'error' | 'pad';
  /** Name used in messages, e.g. the revision. */
  name?: string;
}

export function adaptLengths(cfg: CheckpointLengths, data: DataLengths, opts: AdaptOptions = {}): LengthAdaptation {
  const { context_length: L, prediction_length: H } = cfg;
  const { context, horizon, freq } = data;
  const name = opts.name ?? `${L}-${H}`;
  const unit = freq === 'W' ? 'weeks' : freq === 'D' || freq === 'd' ? 'days' : 'steps';
  if (horizon > H)
    throw new CheckpointError(`checkpoint ${name} forecasts ${H} ${unit}, the horizon asks for ${horizon}`, {
      hint: `forecast ${H} weeks or fewer, or use a checkpoint with prediction_length ≥ ${horizon}`,
      param: 'horizon',
    });
  if (context < L && opts.shortContext !== 'pad')
    throw new DataError(`checkpoint ${name} reads ${L} ${unit} of history, the data offers ${context}`, {
      hint: `use a checkpoint with context_length ≤ ${context} or allow zero-padding`,
      param: 'context',
    });
  const readLast = Math.min(L, context);
  const padBefore = L - readLast;
  const predictionFilterLength = H > horizon ? horizon : null;
  const freqToken = cfg.resolution_prefix_tuning ? tokenFor(cfg, freq, name) : null;

  const parts = [
    padBefore > 0
      ? `checkpoint ${name} reads ${L} ${unit}: the ${context} available are preceded by ${padBefore} zeros`
      : context > L
        ? `checkpoint ${name} reads the last ${L} of the ${context} ${unit}`
        : `checkpoint ${name} reads all ${L} ${unit}`,
    predictionFilterLength !== null
      ? `keeps the first ${horizon} of its ${H} forecast ${unit} (prediction_filter_length ${horizon})`
      : `forecasts ${H} ${unit}`,
  ];
  if (freqToken !== null) parts.push(`gets frequency token ${freqToken} (${freq ?? 'oov'})`);
  return { readLast, padBefore, predictionFilterLength, freqToken, sentence: `${joinParts(parts)}.` };
}

/** The token for `freq`; `oov` (0) when the data's frequency is not known. */
function tokenFor(cfg: CheckpointLengths, freq: string | undefined, name: string): number {
  const token = freq === undefined ? FREQUENCY_TOKENS.oov : frequencyToken(freq);
  if (token === undefined)
    throw new UsageError(`frequency "${freq}" has no token for checkpoint ${name}`, {
      hint: `use one of ${Object.keys(FREQUENCY_TOKENS).join(', ')}`,
    });
  const vocab = cfg.frequency_token_vocab_size;
  if (vocab !== undefined && token >= vocab)
    throw new CheckpointError(`checkpoint ${name} knows ${vocab} frequency tokens, "${freq}" is token ${token}`, {
      hint: 'pick a checkpoint trained for this frequency (weekly data: an r2.1 checkpoint)',
    });
  return token;
}

function joinParts(parts: string[]): string {
  return parts.length < 3 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
