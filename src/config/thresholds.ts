/**
 * Alert thresholds of `ttm evaluate` (the design's: MAPE > 20%, drift > 15%, error rate > 5%,
 * latency > 2 s), overridable by a `--thresholds FILE` JSON object with any of these keys.
 * Each threshold is in the unit of the figure it guards, so a report and its threshold read
 * alike: MAPE in percent, WAPE, PSI and error rate as fractions, latency in seconds. An alert fires
 * when the figure is strictly above its threshold; `null` turns that alert off.
 *
 * "drift > 15%" is read as PSI > 0.15: PSI is the drift figure evaluate reports (per channel),
 * and 0.15 sits inside the conventional "moderate shift" band 0.1-0.25.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { zodIssues } from './zod-issues.js';
import { ConfigError } from '../errors.js';

const limit = (value: number, text: string) => z.number().nonnegative().nullable().default(value).describe(text);

export const ThresholdsSchema = z.strictObject({
  mape: limit(20, 'MAPE in percent over weeks with sales > 0, per channel'),
  wape: limit(0.2, 'WAPE as a fraction (0.2 = 20%), per channel; MAPE breaks on zero-sales weeks, WAPE does not'),
  psi: limit(0.15, 'input drift: PSI of the latest inputs against the training distribution, per channel'),
  errorRate: limit(0.05, 'share of series whose forecast failed'),
  latencySeconds: limit(2, 'model time per forecast batch, in seconds'),
});

export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = ThresholdsSchema.parse({});

/** Validates a thresholds object (missing keys take the defaults); `source` names it in errors. */
export function parseThresholds(raw: unknown, source = 'thresholds'): Thresholds {
  const parsed = ThresholdsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, Infinity);
    throw new ConfigError(`${source}: invalid thresholds: ${issues}`, {
      hint: `keys: ${Object.keys(ThresholdsSchema.shape).join(', ')}; numbers >= 0 or null to turn an alert off`,
    });
  }
  return parsed.data;
}

/** Reads and validates a thresholds JSON file. */
export async function readThresholds(file: string): Promise<Thresholds> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`${file}: cannot read the thresholds file`, { cause, hint: 'check the thresholds file path', param: 'thresholds' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${file}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  return parseThresholds(raw, file);
}
