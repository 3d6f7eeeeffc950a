/** Re-reads the auth file when its modification time changes, so keys created or revoked take effect. */
import { stat } from 'node:fs/promises';
import { readAuthFile, type AuthFile } from '../../config/auth-file.js';

/** Polls every `ms`; returns the function that stops it. A file that does not parse is reported and ignored. */
export function watchAuthFile(file: string, ms: number, onChange: (auth: AuthFile) => void, onError: (err: Error) => void): () => void {
  let last: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      const m = (await stat(file)).mtimeMs;
      // the first look reads it too: it may have changed since the caller read it
      if (m !== last) onChange(await readAuthFile(file));
      last = m;
    } catch (err) {
      onError(err as Error);
    }
    if (!stopped) timer = setTimeout(tick, ms).unref();
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
