/** The --backend flag shared by every command that computes, and the line that says which one runs. */
import type { Command } from 'commander';
import { status, paint } from './output.js';

export function addBackendOption(cmd: Command): Command {
  return cmd.option(
    '--backend <name>',
    'TensorFlow.js backend: auto|node-gpu|node|wasm|wasm-threaded|cpu (env TTM_BACKEND; wasm-threaded = XNNPACK on one thread per core, opt-in)',
  );
}

/** Pick and load the backend (flag > TTM_BACKEND > auto) and say on stderr which one runs. */
export async function startBackend(flag: string | undefined): Promise<string> {
  const { initBackend, parseBackendRequest } = await import('../runtime/backend.js');
  const { backendFromEnv } = await import('../config/env.js');
  const choice = await initBackend(parseBackendRequest(flag ?? backendFromEnv()));
  const extra = choice.detail ? ` (${choice.detail})` : '';
  const skipped = choice.skipped.length
    ? paint.dim(` — skipped ${choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`)
    : '';
  status(`${paint.cyan('backend:')} ${choice.name}${extra}${skipped}`);
  return choice.name;
}
