/** Spawn the built CLI (dist/, built by `npm test` before vitest runs). */
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * runCli without blocking the test worker: long sequences of CLI runs inside one test otherwise
 * starve vitest's worker RPC ("Timeout calling onTaskUpdate") on a loaded machine.
 */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
