/**
 * The audit trail: one JSON line per audited request, appended with a synchronous write and
 * fdatasync before the reply leaves, so an acknowledged request is on disk even if the process
 * (or the machine) dies right after. The file is opened append-only; nothing rewrites it.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
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
  append(entry: AuditEntry): void;
  close(): void;
}

export function openAuditLog(file: string, o: { sync?: boolean } = {}): AuditLog {
  mkdirSync(dirname(file), { recursive: true });
  let fd: number | null = openSync(file, 'a', 0o640);
  const sync = o.sync ?? true;
  return {
    append(entry) {
      if (fd === null) throw new Error(`audit log ${file} is closed`);
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      if (sync) fdatasyncSync(fd);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
