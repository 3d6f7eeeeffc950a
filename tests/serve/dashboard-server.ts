/**
 * `ttm serve` as a process for the browser test: the built CLI on 127.0.0.1, a free port, the
 * fixture's data, model and evaluation reports, and an auth file with one fresh API key per role.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO } from '../helpers/run-cli.js';
import type { DashboardFixture } from './dashboard-fixture.js';
import { generateApiKey, hashApiKey } from '../../src/config/auth-file.js';

export type Role = 'business_user' | 'readonly' | 'data_scientist' | 'admin';

export interface ServeProcess {
  base: string;
  keys: Record<Role, string>;
  stop: () => Promise<void>;
}

/** oidc: the auth file's OIDC block (a local JWKS endpoint in tests), so tokens sign in too; extra: more flags. */
export async function startServe(fx: DashboardFixture, oidc?: Record<string, string>, extra: string[] = []): Promise<ServeProcess> {
  const roles: Role[] = ['business_user', 'readonly', 'data_scientist', 'admin'];
  const keys = Object.fromEntries(roles.map((r) => [r, generateApiKey()])) as Record<Role, string>;
  const auth = join(fx.dir, 'auth.json');
  writeFileSync(auth, JSON.stringify({ api_keys: roles.map((role) => ({ id: `test-${role}`, role, sha256: hashApiKey(keys[role]) })), ...(oidc ? { oidc } : {}) }));
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', '--data', fx.data, '--model', fx.model, '--results', fx.results, '--auth', auth, '--audit', join(fx.dir, 'audit.jsonl'), '--backend', 'wasm', ...extra];
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let started = false;
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ttm serve did not listen within 60 s:\n${log}`)), 60_000);
    const read = (chunk: Buffer) => {
      if (started) return; // keep draining the pipes, stop keeping the request log
      log += chunk.toString();
      const m = /listening at (https?:\/\/127\.0\.0\.1:\d+)/i.exec(log);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      if (started) return;
      clearTimeout(timer);
      reject(new Error(`ttm serve exited with ${code}:\n${log}`));
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { base, keys, stop };
}

/** Debian's chromium (never a downloaded browser), headless, pt-BR, 1280 x 900, on its own profile folder. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(profile: string, o: { acceptDownloads?: boolean } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'pt-BR',
    ...o,
  });
}
