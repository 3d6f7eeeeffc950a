/** Empirical coverage of prediction intervals. */
import { DataError } from '../errors.js';
import type { Values } from './metrics.js';

/** Share of actuals inside [lower, upper] (bounds included). */
export function coverage(actual: Values, lower: Values, upper: Values): number {
  if (actual.length !== lower.length || actual.length !== upper.length) {
    throw new DataError(`coverage: ${actual.length} actuals, ${lower.length} lower and ${upper.length} upper bounds`);
  }
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] >= lower[i] && actual[i] <= upper[i]) inside++;
  return actual.length ? inside / actual.length : NaN;
}
