import { describe, expect, it } from 'vitest';
import { CheckpointError, DataError, UsageError } from '../../src/errors.js';
import { adaptLengths } from '../../src/hub/index.js';

const ft9030 = { context_length: 90, prediction_length: 30, resolution_prefix_tuning: true, frequency_token_vocab_size: 10 };

describe('hub/length-adaptation', () => {
  it('104 weekly steps into the 90-30 checkpoint: last 90 in, first 26 out, token of W', () => {
    const a = adaptLengths(ft9030, { context: 104, horizon: 26, freq: 'W' }, { name: '90-30-ft-r2.1' });
    expect(a).toEqual({
      readLast: 90,
      padBefore: 0,
      predictionFilterLength: 26,
      freqToken: 9,
      sentence:
        'checkpoint 90-30-ft-r2.1 reads the last 90 of the 104 weeks, keeps the first 26 of its 30 forecast weeks (prediction_filter_length 26) and gets frequency token 9 (W).',
    });
  });

  it('changes nothing when the lengths agree and the checkpoint has no prefix tuning', () => {
    const a = adaptLengths({ context_length: 512, prediction_length: 96 }, { context: 512, horizon: 96, freq: 'W' });
    expect(a).toMatchObject({ readLast: 512, padBefore: 0, predictionFilterLength: null, freqToken: null });
    expect(a.sentence).toBe('checkpoint 512-96 reads all 512 weeks and forecasts 96 weeks.');
  });

  it('refuses a horizon longer than the checkpoint forecasts', () => {
    expect(() => adaptLengths(ft9030, { context: 104, horizon: 52, freq: 'W' })).toThrow(CheckpointError);
    expect(() => adaptLengths(ft9030, { context: 104, horizon: 52, freq: 'W' })).toThrow(/forecasts 30 weeks, the horizon asks for 52/);
  });

  it('refuses too short a history, or pads it with zeros when asked', () => {
    expect(() => adaptLengths(ft9030, { context: 60, horizon: 26, freq: 'W' })).toThrow(DataError);
    const a = adaptLengths(ft9030, { context: 60, horizon: 26, freq: 'W' }, { shortContext: 'pad' });
    expect(a).toMatchObject({ readLast: 60, padBefore: 30 });
    expect(a.sentence).toMatch(/the 60 available are preceded by 30 zeros/);
  });

  it('uses the oov token without a frequency, and refuses unknown or out-of-vocabulary ones', () => {
    expect(adaptLengths(ft9030, { context: 90, horizon: 30 }).freqToken).toBe(0);
    expect(() => adaptLengths(ft9030, { context: 90, horizon: 30, freq: 'M' })).toThrow(UsageError);
    const r2 = { ...ft9030, frequency_token_vocab_size: 5 };
    expect(() => adaptLengths(r2, { context: 90, horizon: 30, freq: 'W' })).toThrow(/knows 5 frequency tokens/);
  });
});
