/** A tiny trained model in a registry, API keys for every role, and an app built on them. */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../src/serve/app.js';
import { ROLES, hashApiKey, generateApiKey, type AuthFile, type Role } from '../../src/config/auth-file.js';
import { registrySource, singleModel } from '../../src/serve/model-source.js';
import type { AppOptions } from '../../src/serve/options.js';
import { tinyModel } from '../cli/cli-model.js';


export interface Fixture {
  dir: string;
  data: string;
  model: string;
  registry: string;
  /** one key per role */
  keys: Record<Role, string>;
  auth: AuthFile;
  authFile: string;
}

/** Registers `modelDir` as `version` (copy + registration.json). */
export function register(registry: string, version: string, modelDir: string, metrics: Record<string, number> = {}): string {
  const dest = join(registry, 'versions', version);
  mkdirSync(join(registry, 'versions'), { recursive: true });
  cpSync(modelDir, dest, { recursive: true });
  writeFileSync(join(dest, 'registration.json'), JSON.stringify({ version, registered_at: new Date().toISOString(), metrics, source: modelDir }));
  return dest;
}

export function activate(registry: string, version: string, previous: string | null = null): void {
  writeFileSync(join(registry, 'active.json'), JSON.stringify({ version, promoted_at: new Date().toISOString(), previous }));
}

export async function makeFixture(prefix: string): Promise<Fixture> {
  const t = await tinyModel(prefix);
  const registry = join(t.dir, 'registry');
  register(registry, 'v0001', t.model, { wape: 0.3 });
  activate(registry, 'v0001');
  const keys = Object.fromEntries(ROLES.map((r) => [r, generateApiKey()])) as Record<Role, string>;
  const auth: AuthFile = { api_keys: ROLES.map((r) => ({ id: `${r}-key`, role: r, sha256: hashApiKey(keys[r]) })) };
  const authFile = join(t.dir, 'auth.json');
  writeFileSync(authFile, JSON.stringify(auth));
  return { ...t, registry, keys, auth, authFile };
}

export function appFor(fx: Fixture, o: Partial<AppOptions> & { useRegistry?: boolean } = {}) {
  const { useRegistry, ...rest } = o;
  return buildApp({
    source: useRegistry ? registrySource(fx.registry) : singleModel(fx.model),
    data: fx.data,
    auth: fx.auth,
    audit: join(fx.dir, `audit-${Math.random().toString(36).slice(2)}.jsonl`),
    pollMs: 0,
    ...rest,
  });
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
