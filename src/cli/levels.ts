/** Interval levels as fractions (0.9) or as statsforecast writes them (90); stored as fractions. */
import { UsageError } from '../errors.js';

export function parseLevel(flag: string, text: string): number {
  const x = Number(text.trim());
  const level = x > 1 && x < 100 ? x / 100 : x;
  if (!Number.isFinite(x) || !(level >= 0.01 && level <= 0.999)) {
    throw new UsageError(`${flag} ${text}: expected a level between 0.01 and 0.999, or a percentage such as 90`);
  }
  return Number(level.toFixed(6));
}

export function parseLevels(flag: string, text: string): number[] {
  return text.split(',').map((x) => parseLevel(flag, x));
}
