/**
 * The registry's on-disk layout and its two JSON files (snake_case, one zod schema each, used by
 * writer and reader):
 *
 *   DIR/versions/<version>/   a model directory from `ttm train` (config.json, model.safetensors,
 *                             preprocessor.json, forecaster.json, metrics.json, …)
 *                             plus registration.json { version, registered_at, metrics, source }
 *   DIR/active.json           { version, promoted_at, previous }, replaced atomically
 */
import { join } from 'node:path';
import { z } from 'zod';
import { isVersionId } from './version-id.js';

const versionId = z.string().refine(isVersionId, { message: 'not a version id (v0001, v0002, …)' });
const isoTime = z.iso.datetime({ offset: true });

export const RegistrationSchema = z.object({
  version: versionId,
  /** when the version was registered, ISO 8601 UTC */
  registered_at: isoTime,
  /** the model's metrics.json as `ttm train` wrote it ({} when it had none) */
  metrics: z.record(z.string(), z.unknown()),
  /** where the model came from: the directory registered, as an absolute path */
  source: z.string(),
});
export type Registration = z.infer<typeof RegistrationSchema>;

export const ActiveSchema = z.object({
  version: versionId,
  /** when it became active, ISO 8601 UTC */
  promoted_at: isoTime,
  /** the version active before it (what rollback returns to); null for the first promotion */
  previous: versionId.nullable(),
});
export type Active = z.infer<typeof ActiveSchema>;

export const REGISTRATION_FILE = 'registration.json';
export const ACTIVE_FILE = 'active.json';

export const versionsDir = (root: string) => join(root, 'versions');
/** A version's model directory (what `loadForecaster` reads). */
export const versionDir = (root: string, version: string) => join(root, 'versions', version);
/** The file a server watches to follow promotions. */
export const activeFile = (root: string) => join(root, ACTIVE_FILE);
