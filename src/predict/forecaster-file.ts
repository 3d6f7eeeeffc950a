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
import { toJsonText } from '../config/snake-case.js';
import { SCHEMA_VERSION } from '../config/schema-version.js';

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

/**
 * The file's text (pretty JSON with a final newline); validated, so a bad writer fails at once.
 * Written in the tool's convention: snake_case keys (blend.model_weight, calibration[].scale_window)
 * and a schema_version; files of schema_version 1 (camelCase there) still read.
 */
export function forecasterFileJson(meta: ForecasterMeta): string {
  return `${toJsonText({ schema_version: SCHEMA_VERSION, ...ForecasterFileSchema.parse(meta) }, 2)}\n`;
}

/** The library's (camelCase) form of the written blend and calibration. */
function fromWrittenForm(raw: Record<string, unknown>): Record<string, unknown> {
  const blend = raw.blend as Record<string, unknown> | undefined;
  const calibration = raw.calibration as unknown[] | undefined;
  return {
    ...raw,
    ...(blend && 'model_weight' in blend ? { blend: { window: blend.window, modelWeight: blend.model_weight } } : {}),
    ...(Array.isArray(calibration)
      ? { calibration: calibration.map((c) => (c && typeof c === 'object' && 'scale_window' in c ? (({ scale_window, ...rest }) => ({ ...rest, scaleWindow: scale_window }))(c as Record<string, unknown>) : c)) }
      : {}),
  };
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
  const parsed = ForecasterFileSchema.safeParse(fromWrittenForm(raw as Record<string, unknown>));
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new CheckpointError(`${source}: invalid forecaster file: ${issues}`, { hint: 'retrain the model (ttm train) to rewrite it' });
  }
  return parsed.data;
}
