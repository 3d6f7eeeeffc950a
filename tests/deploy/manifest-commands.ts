/**
 * The container commands of deploy/k8s, runnable here: a Job's `sh -c` script with the image's
 * paths mapped onto this machine (/app → the folder holding bin/ and dist/, /data → a temporary
 * data root laid out as the shared volume).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO } from '../helpers/run-cli.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

/** The first container of the (Cron)Job `name` in deploy/k8s/<file>. */
export function jobContainer(file: string, name: string): { command: string[]; args: string[]; env: Record<string, string> } {
  const docs: Doc[] = parseAllDocuments(readFileSync(join(REPO, 'deploy/k8s', file), 'utf8')).map((d) => d.toJS());
  const doc = docs.find((d) => d.metadata?.name === name);
  if (!doc) throw new Error(`${file}: no ${name}`);
  const pod = doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template.spec : doc.spec.template.spec;
  const c = pod.containers[0];
  return { command: c.command ?? [], args: c.args ?? [], env: Object.fromEntries((c.env ?? []).filter((e: Doc) => 'value' in e).map((e: Doc) => [e.name, e.value])) };
}

/** Maps the image's paths in a command line: /app/… → app/…, /data… → data… */
export function mapPaths(text: string, app: string, data: string): string {
  return text.replaceAll('/app/', `${app}/`).replace(/(^|[\s"'=])\/data(?=[/\s"']|$)/g, `$1${data}`);
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a container's command (sh -c SCRIPT, paths mapped) with the manifest's env plus `env`. */
export function runContainer(c: { command: string[]; args: string[]; env: Record<string, string> }, o: { app: string; data: string; env?: Record<string, string> }): Promise<Finished> {
  const argv = [...c.command, ...c.args].map((a) => mapPaths(a, o.app, o.data));
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, NO_COLOR: '1', ...c.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
