/**
 * The training log: one JSON object per line in <results>/logs/metrics.jsonl. Appends are not
 * atomic (a kill can tear the last line); readers skip a line that does not parse, and a resumed
 * run first drops what was logged after its checkpoint.
 */
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { toJsonText } from '../config/snake-case.js';

/** One log line: the global step plus whatever was measured (loss, val_loss, lr, epoch, ...). */
export type MetricsRecord = { step: number } & Record<string, unknown>;

/** Where the log lives under a results folder. */
export function metricsLogPath(resultsDir: string): string {
  return join(resultsDir, 'logs', 'metrics.jsonl');
}

/** Append one record (non-finite numbers become null, as JSON has no NaN). */
export async function appendMetrics(path: string, record: MetricsRecord): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  await fs.appendFile(path, `${toJsonText(record)}\n`);
}

/** Every record that parses, in order; an absent file is an empty log. */
export async function readMetrics(path: string): Promise<MetricsRecord[]> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: MetricsRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const rec = JSON.parse(line) as unknown;
      if (typeof rec === 'object' && rec !== null && typeof (rec as MetricsRecord).step === 'number') {
        out.push(rec as MetricsRecord);
      }
    } catch {
      // a line torn by a kill mid-write
    }
  }
  return out;
}

/** Keep only records with `step <= lastStep` (for resuming from the checkpoint at lastStep). */
export async function truncateMetricsAfter(path: string, lastStep: number): Promise<void> {
  const kept = (await readMetrics(path)).filter((r) => r.step <= lastStep);
  await writeFileAtomic(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
}
