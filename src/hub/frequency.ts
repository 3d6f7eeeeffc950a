/**
 * Frequency tokens of TTM's resolution prefix tuning: granite-tsfm's DEFAULT_FREQUENCY_MAPPING
 * (tsfm_public/toolkit/time_series_preprocessor.py). Pandas-style codes; `oov` is "unknown".
 */
export const FREQUENCY_TOKENS: Readonly<Record<string, number>> = {
  oov: 0,
  min: 1,
  '2min': 2,
  '5min': 3,
  '10min': 4,
  '15min': 5,
  '30min': 6,
  h: 7,
  H: 7,
  d: 8,
  D: 8,
  W: 9,
};

/** The token for `freq`, or undefined when the mapping does not know it. */
export function frequencyToken(freq: string): number | undefined {
  return Object.hasOwn(FREQUENCY_TOKENS, freq) ? FREQUENCY_TOKENS[freq] : undefined;
}
