/**
 * forecaster.json: what `ttm train` stores beside the model weights (channels, horizon, blend,
 * conformal calibration, training statistics). One schema for the writer (`forecasterFileJson`)
 * and the reader (`parseForecasterFile`), as config.json has TtmConfigSchema.
 */
import { z } from 'zod';
import { zodIssues } from '../config/zod-issues.js';
import { CheckpointError } from '../errors.js';
import { BlendSchema } from './blend.js';
import { ConformalCalibrationSchema } from './conformal.js';

export const ForecasterFileSchema = z
  .object({
    format: z.literal('ttm-forecaster'),
    version: z.literal(1),
    channels: z.array(z.string()).min(1),
    horizon: z.number().int().positive(),
    blend: BlendSchema,
    /** per channel, conformal calibration */
    calibration: z.array(ConformalCalibrationSchema),
    /** per channel, training distribution for drift (parsed by evaluate's trainingStatsFromJSON) */
    training_stats: z.array(z.unknown()),
    /** date of the last week the model was trained on */
    trained_through: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    freq_token: z.number().int().nonnegative().optional(),
    /** value transform the model was trained on (absent: none) */
    transform: z.enum(['none', 'log1p']).optional(),
  })
  .superRefine((f, ctx) => {
    for (const key of ['calibration', 'training_stats'] as const) {
      if (f[key].length !== f.channels.length) {
        ctx.addIssue({ code: 'custom', path: [key], message: `has ${f[key].length} entries for ${f.channels.length} channels` });
      }
    }
  });

/** forecaster.json, parsed */
export type ForecasterMeta = z.infer<typeof ForecasterFileSchema>;

/** The file's text (pretty JSON with a final newline); validated, so a bad writer fails at once. */
export function forecasterFileJson(meta: ForecasterMeta): string {
  return `${JSON.stringify(ForecasterFileSchema.parse(meta), null, 2)}\n`;
}

/** Parses forecaster.json text; errors name the file and the first bad field. */
export function parseForecasterFile(text: string, source = 'forecaster.json'): ForecasterMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CheckpointError(`${source}: not valid JSON (${(err as Error).message})`, { hint: 'retrain the model (ttm train) to rewrite it' });
  }
  if ((raw as { format?: unknown } | null)?.format !== 'ttm-forecaster') {
    throw new CheckpointError(`${source}: not a ttm forecaster file (format is not "ttm-forecaster")`, { hint: 'use a model directory written by ttm train' });
  }
  const parsed = ForecasterFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new CheckpointError(`${source}: invalid forecaster file: ${issues}`, { hint: 'retrain the model (ttm train) to rewrite it' });
  }
  return parsed.data;
}
