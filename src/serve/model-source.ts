/**
 * Where the served models come from: one model directory (`--model DIR`, version "model"), or a
 * registry directory (`--registry DIR`: versions/<version>/ plus active.json).
 * TODO(11a): read and change the registry through src/registry once it lands.
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';

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
  dirOf(version: string): string;
  promote(version: string): Promise<{ active: string; previous: string | null }>;
  rollback(): Promise<{ active: string; previous: string | null }>;
}

export function singleModel(dir: string): ModelSource {
  const version = basename(dir.replace(/\/+$/, '')) || 'model';
  const fixed = async () => {
    throw new Error('this server serves one model directory (--model); promote and roll back with --registry');
  };
  return {
    kind: 'model',
    active: async () => version,
    list: async () => [{ version, registered_at: null, metrics: {}, source: dir }],
    dirOf: () => dir,
    promote: fixed,
    rollback: fixed,
  };
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

export function registrySource(root: string): ModelSource {
  const activeFile = join(root, 'active.json');
  const dirOf = (v: string) => join(root, 'versions', v);
  const list = async (): Promise<VersionInfo[]> => {
    let names: string[] = [];
    try {
      names = (await fs.readdir(join(root, 'versions'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return [];
    }
    const out = await Promise.all(
      names.map(async (v): Promise<VersionInfo> => {
        const r = (await readJson(join(dirOf(v), 'registration.json'))) ?? {};
        return {
          version: v,
          registered_at: typeof r.registered_at === 'string' ? r.registered_at : null,
          metrics: r.metrics && typeof r.metrics === 'object' ? (r.metrics as Record<string, unknown>) : {},
          source: typeof r.source === 'string' ? r.source : null,
        };
      }),
    );
    return out.sort((a, b) => (a.registered_at ?? '').localeCompare(b.registered_at ?? '') || a.version.localeCompare(b.version));
  };
  const active = async () => {
    const a = await readJson(activeFile);
    return a && typeof a.version === 'string' ? a.version : null;
  };
  const write = async (version: string, previous: string | null) => {
    await writeFileAtomic(activeFile, `${JSON.stringify({ version, promoted_at: new Date().toISOString(), previous }, null, 2)}\n`);
    return { active: version, previous };
  };
  return {
    kind: 'registry',
    active,
    list,
    dirOf,
    async promote(version) {
      if (!(await list()).some((v) => v.version === version)) throw new Error(`version ${version} is not registered`);
      return write(version, await active());
    },
    async rollback() {
      const a = await readJson(activeFile);
      const previous = a && typeof a.previous === 'string' ? a.previous : null;
      if (!previous) throw new Error('no previous version to roll back to');
      return write(previous, typeof a?.version === 'string' ? a.version : null);
    },
  };
}
