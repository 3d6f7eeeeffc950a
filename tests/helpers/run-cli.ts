/** Spawn the built CLI (dist/, built by `npm test` before vitest runs). */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = resolve(REPO, 'bin/ttm.js');

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeout ?? 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
