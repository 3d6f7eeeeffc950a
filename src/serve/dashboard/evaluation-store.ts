/**
 * The reports `ttm evaluate` saved under <results>/evaluations/*.json, read and mapped, oldest
 * first. A file that cannot be read or is not a version-1 report is listed in `skipped` with the
 * reason instead of failing the page.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { StoredReportSchema, toEvaluation, type EvaluationView } from './evaluation-view.js';

export const SkippedSchema = z.array(z.object({ file: z.string(), reason: z.string() }));

export interface StoredEvaluations {
  evaluations: EvaluationView[];
  skipped: z.infer<typeof SkippedSchema>;
}

export async function readEvaluations(dir: string): Promise<StoredEvaluations> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { evaluations: [], skipped: [] };
    throw err;
  }
  const out: StoredEvaluations = { evaluations: [], skipped: [] };
  for (const name of names.sort()) {
    const file = join(dir, name);
    try {
      const parsed = StoredReportSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (parsed.success) out.evaluations.push(toEvaluation(basename(name, '.json'), parsed.data));
      else out.skipped.push({ file: name, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).slice(0, 3).join('; ') });
    } catch (err) {
      out.skipped.push({ file: name, reason: (err as Error).message });
    }
  }
  out.evaluations.sort((a, b) => a.created.localeCompare(b.created));
  return out;
}
