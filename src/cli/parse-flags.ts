/** Flag values arrive as strings; these turn them into checked numbers and choices (UsageError otherwise). */
import { UsageError } from '../errors.js';

export function numberOption(flag: string, value: string, min = -Infinity, max = Infinity): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x < min || x > max) {
    throw new UsageError(`${flag} ${value}: expected a number${min > -Infinity ? ` >= ${min}` : ''}${max < Infinity ? ` and <= ${max}` : ''}`);
  }
  return x;
}

export function intOption(flag: string, value: string, min = -Infinity, max = Infinity): number {
  const x = numberOption(flag, value, min, max);
  if (!Number.isInteger(x)) throw new UsageError(`${flag} ${value}: expected a whole number`);
  return x;
}

export function choiceOption<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${flag} ${value}: expected one of ${choices.join(', ')}`);
  return value as T;
}
