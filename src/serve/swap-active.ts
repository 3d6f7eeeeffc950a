/** What /models/promote and /models/rollback share: registry-only, then serve the new active version. */
import type { ServeContext } from './context.js';
import { HttpError } from './http-error.js';

export function requireRegistry(ctx: ServeContext): void {
  if (ctx.source.kind !== 'registry') throw new HttpError(409, 'conflict', 'this server serves one model directory; promote and roll back need --registry', 'start ttm serve --registry DIR');
}

/** Switches this server to the registry's new active version; 503 if it refuses it. */
export async function serveActive(ctx: ServeContext, r: { active: string; previous: string | null }) {
  const { pool } = ctx;
  await pool.switchTo(r.active);
  if (pool.active?.version !== r.active) {
    throw HttpError.unavailable(`version ${r.active} is active in the registry but this server refused it: ${pool.lastSwapError?.message ?? 'unknown'}`, 'fix or roll back the version');
  }
  return { ...r, serving: pool.active.version };
}
