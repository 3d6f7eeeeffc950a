/**
 * Turns the data commands' flag strings into checked options. Bad values are ConfigErrors
 * (exit 2) naming the flag, expected and got.
 */
import { ConfigError } from '../errors.js';
import type { MissingPolicy } from './series.js';
import { SYNTH_DEFAULTS } from './synth.js';
import type { SynthOptions } from './synth.js';
import type { LoadOptions } from './to-series.js';
import { parseDay, WEEKDAYS } from './weeks.js';
import type { WeekStart } from './weeks.js';

type Flags = Record<string, unknown>;

/** A whole number in [min, max] from a flag string, or the default when absent. */
export function intFlag(flags: Flags, name: string, fallback: number, min = 1, max = 1_000_000): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (!Number.isInteger(x) || x < min || x > max) {
    throw new ConfigError(`--${kebab(name)}: expected a whole number from ${min} to ${max}, got "${String(raw)}"`);
  }
  return x;
}

/** A YYYY-MM-DD flag as a day number, or undefined when absent. */
export function dayFlag(flags: Flags, name: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const day = parseDay(String(raw));
  if (day === undefined) throw new ConfigError(`--${kebab(name)}: expected a date YYYY-MM-DD, got "${String(raw)}"`);
  return day;
}

/** --week-start and --missing. */
export function loadOptions(flags: Flags): LoadOptions {
  const weekStart = String(flags.weekStart ?? 'auto');
  if (weekStart !== 'auto' && !(WEEKDAYS as readonly string[]).includes(weekStart)) {
    throw new ConfigError(`--week-start: expected auto or a weekday (${WEEKDAYS.join(', ')}), got "${weekStart}"`);
  }
  const missing = String(flags.missing ?? 'zero');
  if (missing !== 'zero' && missing !== 'gap') throw new ConfigError(`--missing: expected zero or gap, got "${missing}"`);
  return { weekStart: weekStart as WeekStart, missing: missing as MissingPolicy };
}

/** ttm synth's flags. */
export function synthOptions(flags: Flags): SynthOptions {
  dayFlag(flags, 'start');
  return {
    products: intFlag(flags, 'products', SYNTH_DEFAULTS.products, 1, 100_000),
    regions: intFlag(flags, 'regions', SYNTH_DEFAULTS.regions, 1, 1000),
    weeks: intFlag(flags, 'weeks', SYNTH_DEFAULTS.weeks, 1, 5000),
    start: flags.start === undefined ? SYNTH_DEFAULTS.start : String(flags.start),
    seed: intFlag(flags, 'seed', SYNTH_DEFAULTS.seed, 0, 2 ** 32 - 1),
    flaws: flags.flaws === true,
  };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
