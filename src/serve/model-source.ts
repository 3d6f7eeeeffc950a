/**
 * Where the served models come from: one model directory (`--model DIR`, its folder name as the
 * version), or a registry (`--registry DIR`, through src/registry: versions/<version>/ and
 * active.json).
 */
import { basename } from 'node:path';
import { ConfigError } from '../errors.js';
import { loadForecaster, type Forecaster } from '../predict/index.js';
import { listVersions, loadVersion, promoteVersion, readActive, rollbackVersion } from '../registry/index.js';

export interface VersionInfo {
  version: string;
  registered_at: string | null;
  metrics: Record<string, unknown>;
  source: string | null;
}

export interface ModelSource {
  kind: 'model' | 'registry';
  /** the version to serve now */
  active(): Promise<string | null>;
  list(): Promise<VersionInfo[]>;
  load(version: string): Promise<Forecaster>;
  promote(version: string): Promise<{ active: string; previous: string | null }>;
  rollback(): Promise<{ active: string; previous: string | null }>;
}

export function singleModel(dir: string): ModelSource {
  const version = basename(dir.replace(/\/+$/, '')) || 'model';
  const fixed = async (): Promise<never> => {
    throw new ConfigError('this server serves one model directory (--model); promote and roll back need --registry');
  };
  return {
    kind: 'model',
    active: async () => version,
    list: async () => [{ version, registered_at: null, metrics: {}, source: dir }],
    load: () => loadForecaster(dir),
    promote: fixed,
    rollback: fixed,
  };
}

export function registrySource(root: string): ModelSource {
  return {
    kind: 'registry',
    active: async () => (await readActive(root))?.version ?? null,
    list: async () => (await listVersions(root)).map(({ version, registered_at, metrics, source }) => ({ version, registered_at, metrics, source })),
    load: (version) => loadVersion(root, version),
    promote: (version) => promoteVersion(root, version),
    rollback: () => rollbackVersion(root),
  };
}
