/** The audit trail's group commit: every append resolves once on disk, nothing lost or reordered, with syncs overlapping. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditLog, type AuditEntry } from '../../src/serve/audit-log.js';

const dir = mkdtempSync(join(tmpdir(), 'ttm-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (i: number): AuditEntry => ({ at: new Date(0).toISOString(), event: 'model_prediction', who: 'key:t', action: 'POST /predict', outcome: 'ok', status: 200, request_id: `r${i}` });

describe('audit log', () => {
  it('appends arriving in bursts and in between all resolve, in order, every line on file', async () => {
    const file = join(dir, 'a.jsonl');
    const log = openAuditLog(file);
    const done: number[] = [];
    const all: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      all.push(log.append(entry(i)).then(() => void done.push(i)));
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(all);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    log.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).request_id);
    expect(lines).toEqual(Array.from({ length: 60 }, (_, i) => `r${i}`));
    await expect(log.append(entry(60))).rejects.toThrow(/closed/);
  });
});
