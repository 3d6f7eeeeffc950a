/**
 * The audit trail: one JSON line per audited request, appended with a synchronous write (so a
 * crash of the process loses nothing written) and then flushed to disk with fdatasync before
 * the reply leaves, so an acknowledged request is on disk even if the machine dies right after.
 * Group commit: the entries written since the last fdatasync started share the next one, off the
 * event loop, with up to two in flight. The file is opened append-only; nothing rewrites it.
 */
import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type AuditEvent = 'data_access' | 'model_prediction' | 'config_change';

export interface AuditEntry {
  at: string;
  event: AuditEvent;
  /** "key:<id>", "sub:<subject>" or "anonymous" */
  who: string;
  action: string;
  outcome: 'ok' | 'denied' | 'error';
  status: number;
  request_id: string;
  detail?: Record<string, unknown>;
}

export interface AuditLog {
  /** resolves once the entry is on disk (at once without sync) */
  append(entry: AuditEntry): Promise<void>;
  close(): void;
}

/**
 * fdatasyncs in flight at once. With one, an entry written just after a sync started waits for it
 * and then for its own (two sync times); with two, its own starts at once (covering everything
 * written before it), so an entry waits about one sync time.
 */
const MAX_SYNCS = 2;

export function openAuditLog(file: string, o: { sync?: boolean } = {}): AuditLog {
  mkdirSync(dirname(file), { recursive: true });
  let fd: number | null = openSync(file, 'a', 0o640);
  const sync = o.sync ?? true;
  let waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let syncing = 0;
  const flush = () => {
    if (syncing >= MAX_SYNCS || waiting.length === 0 || fd === null) return;
    syncing++;
    const batch = waiting;
    waiting = [];
    fdatasync(fd, (err) => {
      syncing--;
      for (const w of batch) (err ? w.reject(err) : w.resolve());
      flush();
    });
  };
  return {
    append(entry) {
      if (fd === null) return Promise.reject(new Error(`audit log ${file} is closed`));
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      if (!sync) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        flush();
      });
    },
    close() {
      if (fd === null) return;
      if (sync) fdatasyncSync(fd);
      for (const w of waiting) w.resolve();
      waiting = [];
      closeSync(fd);
      fd = null;
    },
  };
}
