/**
 * The model registry: versions of trained models with their metrics, one of them active.
 * `registerVersion` copies a `ttm train` model directory in as a new version after checking that
 * it loads; `promoteVersion` and `rollbackVersion` replace active.json atomically, so a reader
 * (a server following promotions) sees the old file or the new one, never half of one.
 * Layout and file schemas: registry-files.ts; version ids: version-id.ts.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { zodIssues } from '../config/zod-issues.js';
import { CheckpointError, ConfigError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { loadForecaster, type Forecaster } from '../predict/index.js';
import { ActiveSchema, REGISTRATION_FILE, RegistrationSchema, activeFile, versionDir, versionsDir, type Active, type Registration } from './registry-files.js';
import { compareVersions, isVersionId, nextVersion } from './version-id.js';

export interface VersionInfo extends Registration {
  /** this version is the active one */
  active: boolean;
}

export interface SwapResult {
  active: string;
  previous: string | null;
}

const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;

async function readJsonFile(file: string): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CheckpointError(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/** The active version, or null when nothing was promoted yet. A damaged active.json is an error. */
export async function readActive(root: string): Promise<Active | null> {
  let raw: unknown;
  try {
    raw = await readJsonFile(activeFile(root));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = ActiveSchema.safeParse(raw);
  if (!parsed.success) throw new CheckpointError(`${activeFile(root)}: invalid: ${zodIssues(parsed.error)}`, { hint: 'promote a version again to rewrite it' });
  return parsed.data;
}

/** A version's registration.json, checked. */
export async function readRegistration(root: string, version: string): Promise<Registration> {
  const file = join(versionDir(root, version), REGISTRATION_FILE);
  let raw: unknown;
  try {
    raw = await readJsonFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw unknownVersion(root, version, await versionIds(root));
    throw err;
  }
  const parsed = RegistrationSchema.safeParse(raw);
  if (!parsed.success) throw new CheckpointError(`${file}: invalid registration: ${zodIssues(parsed.error)}`);
  if (parsed.data.version !== version) throw new CheckpointError(`${file}: registers ${parsed.data.version}, but lives in ${version}/`);
  return parsed.data;
}

/** Ids of the registered versions, oldest first (directories named like a version id). */
export async function versionIds(root: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(versionsDir(root), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries.filter((e) => e.isDirectory() && isVersionId(e.name)).map((e) => e.name).sort(compareVersions);
}

/** Every version with its registration and whether it is active, oldest first. */
export async function listVersions(root: string): Promise<VersionInfo[]> {
  const [ids, active] = await Promise.all([versionIds(root), readActive(root)]);
  const regs = await Promise.all(ids.map((v) => readRegistration(root, v)));
  return regs.map((r) => ({ ...r, active: r.version === active?.version }));
}

function unknownVersion(root: string, version: string, known: string[]): ConfigError {
  return new ConfigError(`${root}: version ${version} is not registered (${known.length ? `has ${known.join(', ')}` : 'no versions yet'})`, {
    hint: known.length ? 'choose one of the registered versions' : 'register a model first',
    param: 'version',
  });
}

/**
 * Loads a model directory as the server would, then frees it: config.json parses, the weights
 * load into that architecture, preprocessor.json and forecaster.json parse and agree with it.
 * Needs a TensorFlow.js backend. Throws a CheckpointError saying what is wrong.
 */
export async function checkModelDir(dir: string): Promise<void> {
  let f: Forecaster;
  try {
    f = await loadForecaster(dir);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new CheckpointError(`${dir}: refused, not a loadable ttm model: ${why}`, { cause: err, hint: 'register a directory written by ttm train (config.json, model.safetensors, preprocessor.json, forecaster.json)' });
  }
  f.model.dispose();
}

export interface RegisterOptions {
  /** also make it the active version */
  promote?: boolean;
  /** recorded as `source` (default: the directory's absolute path) */
  source?: string;
  /** clock (tests) */
  now?: () => Date;
}

/**
 * Copies model directory `modelDir` into the registry as the next version, after checking that
 * it loads (checkModelDir, on the copy). Its metrics.json becomes the registration's metrics.
 * Concurrent registrations get distinct ids (the final rename fails for the loser, who retries).
 */
export async function registerVersion(root: string, modelDir: string, o: RegisterOptions = {}): Promise<Registration> {
  const now = o.now ?? (() => new Date());
  await fs.mkdir(versionsDir(root), { recursive: true });
  const tmp = join(versionsDir(root), `.tmp-register-${randomUUID()}`);
  try {
    await fs.cp(modelDir, tmp, { recursive: true, filter: (src) => !basename(src).startsWith('.tmp-') });
  } catch (err) {
    throw new CheckpointError(`${modelDir}: cannot copy the model directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      cause: err,
      hint: 'pass the directory ttm train wrote',
      param: 'model',
    });
  }
  try {
    await checkModelDir(tmp).catch((err: CheckpointError) => {
      throw new CheckpointError(err.message.replaceAll(tmp, modelDir), { cause: err.cause, hint: err.hint, param: 'model' });
    });
    const metrics = await readMetrics(tmp);
    for (let attempt = 0; ; attempt++) {
      const version = nextVersion(await versionIds(root));
      const registration: Registration = { version, registered_at: now().toISOString(), metrics, source: o.source ?? resolve(modelDir) };
      await writeFileAtomic(join(tmp, REGISTRATION_FILE), json(RegistrationSchema.parse(registration)));
      try {
        await fs.rename(tmp, versionDir(root, version));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if ((code === 'ENOTEMPTY' || code === 'EEXIST') && attempt < 20) continue; // taken meanwhile
        throw err;
      }
      if (o.promote) await promoteVersion(root, version, { check: false, now });
      return registration;
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function readMetrics(dir: string): Promise<Record<string, unknown>> {
  const file = join(dir, 'metrics.json');
  let raw: unknown;
  try {
    raw = await readJsonFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new CheckpointError(`${file}: not a JSON object`);
  return raw as Record<string, unknown>;
}

export interface PromoteOptions {
  /** load the version first and refuse it when it does not load (default true) */
  check?: boolean;
  now?: () => Date;
}

/** Makes `version` the active one; the one active before becomes `previous`. */
export async function promoteVersion(root: string, version: string, o: PromoteOptions = {}): Promise<SwapResult> {
  const known = await versionIds(root);
  if (!known.includes(version)) throw unknownVersion(root, version, known);
  await readRegistration(root, version);
  if (o.check !== false) await checkModelDir(versionDir(root, version));
  const current = await readActive(root).catch(() => null); // a damaged active.json is replaced
  const previous = current && current.version !== version ? current.version : (current?.previous ?? null);
  return writeActive(root, { version, promoted_at: (o.now ?? (() => new Date()))().toISOString(), previous });
}

/** Makes the previous version active again (the current one becomes `previous`). */
export async function rollbackVersion(root: string, o: PromoteOptions = {}): Promise<SwapResult> {
  const current = await readActive(root);
  if (!current) throw new ConfigError(`${root}: no active version to roll back from`, { hint: 'promote a version first', param: 'version' });
  if (!current.previous) throw new ConfigError(`${root}: ${current.version} has no previous version to roll back to`, { param: 'version' });
  const known = await versionIds(root);
  if (!known.includes(current.previous)) throw unknownVersion(root, current.previous, known);
  if (o.check !== false) await checkModelDir(versionDir(root, current.previous));
  return writeActive(root, { version: current.previous, promoted_at: (o.now ?? (() => new Date()))().toISOString(), previous: current.version });
}

async function writeActive(root: string, active: Active): Promise<SwapResult> {
  await writeFileAtomic(activeFile(root), json(ActiveSchema.parse(active)));
  return { active: active.version, previous: active.previous };
}

/** Loads a registered version (the caller disposes forecaster.model). */
export async function loadVersion(root: string, version: string): Promise<Forecaster> {
  const known = await versionIds(root);
  if (!known.includes(version)) throw unknownVersion(root, version, known);
  return loadForecaster(versionDir(root, version));
}

/** Loads the active version, or throws when none is active. */
export async function loadActive(root: string): Promise<{ version: string; forecaster: Forecaster }> {
  const active = await readActive(root);
  if (!active) throw new ConfigError(`${root}: no active version`, { hint: 'promote one first', param: 'version' });
  return { version: active.version, forecaster: await loadVersion(root, active.version) };
}
