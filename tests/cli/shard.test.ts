/**
 * Sharded runs as separate processes, the way a Kubernetes Indexed Job runs them: every shard a
 * process of its own, merged with `ttm predict merge`, byte-identical to the unsharded run; a
 * shard that dies is re-run alone. Also `ttm evaluate --shard` and its --metrics-file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { tinyModel } from './cli-model.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
let t: Awaited<ReturnType<typeof tinyModel>>;
/** the unsharded forecast, the reference */
let want: Buffer;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Spawns bin/ttm.js; `killOn` kills it with SIGKILL when stderr shows that text (a lost pod). */
function ttm(args: string[], env: Record<string, string> = {}, killOn?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      if (killOn && killOn.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Runs the jobs two at a time (two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const k = next++;
        out[k] = await jobs[k]();
      }
    }),
  );
  return out;
}

describe.skipIf(!built)('sharded runs (separate processes)', () => {
  beforeAll(async () => {
    t = await tinyModel('ttm-cli-shard-');
    const full = runCli([...base(), '--out', join(t.dir, 'forecast.csv')]);
    expect(full.code, full.stderr).toBe(0);
    want = readFileSync(join(t.dir, 'forecast.csv'));
  }, 120_000);
  afterAll(() => rmSync(t.dir, { recursive: true, force: true }));
  const base = () => ['predict', '--all', '--model', t.model, '--data', t.data, '--interval', '0.8,0.95'];
  const part = (n: number, k: number) => join(t.dir, `forecast-${k}-of-${n}.csv`);

  it('N = 1, 3 and 7 shards, merged, are byte-identical to the unsharded forecast', async () => {
    const jobs: (() => Promise<Run>)[] = [];
    for (const n of [1, 3]) for (let k = 0; k < n; k++) jobs.push(() => ttm([...base(), '--shard', `${k}/${n}`, '--out', part(n, k)]));
    // N = 7 as the Indexed Job runs it: the same command line, K from JOB_COMPLETION_INDEX.
    for (let k = 0; k < 7; k++) jobs.push(() => ttm([...base(), '--out', part(7, k)], { JOB_COMPLETION_INDEX: String(k), TTM_SHARDS: '7' }));
    const runs = await pool(jobs);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.filter((r) => /shard \d\/7: \d of 24 series/.test(r.stderr))).toHaveLength(7);

    expect(want.toString().split('\n')).toHaveLength(1 + 24 * 8 + 1);
    for (const n of [1, 3, 7]) {
      const merged = join(t.dir, `merged-${n}.csv`);
      // Files in reverse order: merge restores the dataset's order by itself.
      const files = Array.from({ length: n }, (_, k) => part(n, n - 1 - k));
      const m = runCli(['predict', 'merge', ...files, '--out', merged]);
      expect(m.code, m.stderr).toBe(0);
      expect(readFileSync(merged).equals(want), `merge of ${n} shards`).toBe(true);
    }
    // Plain concatenation in shard order (header once) gives the same bytes: the blocks are contiguous.
    const cat = [0, 1, 2].map((k) => readFileSync(part(3, k), 'utf8').split('\n').slice(k === 0 ? 0 : 1).join('\n')).join('');
    expect(cat).toBe(want.toString());
  });

  it('a shard that dies leaves no partial file, the merge names it, and re-running it alone completes the run', async () => {
    const n = 3;
    const files = Array.from({ length: n }, (_, k) => join(t.dir, `retry-${k}.csv`));
    const args = (k: number) => [...base(), '--shard', `${k}/${n}`, '--out', files[k]];
    const runs = await pool([0, 1, 2].map((k) => () => ttm(args(k), {}, k === 1 ? /^backend: /m : undefined)));
    expect(runs[1].signal).toBe('SIGKILL');
    expect(existsSync(files[1])).toBe(false);
    expect([runs[0].code, runs[2].code]).toEqual([0, 0]);

    const merged = join(t.dir, 'retry.csv');
    const failed = runCli(['predict', 'merge', ...files, '--out', merged]);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain(`${files[1]}: cannot read the shard's forecast file`);
    expect(existsSync(merged)).toBe(false);

    const again = await ttm(args(1));
    expect(again.code, again.stderr).toBe(0);
    expect(runCli(['predict', 'merge', ...files, '--out', merged]).code).toBe(0);
    expect(readFileSync(merged).equals(want)).toBe(true);
  });

  it('ttm evaluate --shard scores its block of series and writes its figures for node_exporter', async () => {
    const prom = join(t.dir, 'textfile', 'ttm-evaluation.prom');
    const r = runCli(['evaluate', '--model', t.model, '--data', t.data, '--no-save', '--json', '--shard', '1/2', '--metrics-file', prom]);
    expect([0, 7], r.stderr).toContain(r.code);
    const report = JSON.parse(r.stdout);
    expect(report.shard).toEqual({ index: 1, count: 2 });
    expect(report.backtest.series).toBe(12);
    expect(r.stderr).toMatch(/^shard 1\/2: 12 of 24 series$/m);
    expect(r.stderr).toMatch(/^accuracy \(shard 1\/2\): vendas wape=\d\.\d{3} mape=\d\.\d{3}, faturamento wape=.*; (healthy|ALERT .+)$/m);

    const text = readFileSync(prom, 'utf8');
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    const value = (name: string, labels: string) => Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1]);
    const m = report.backtest.methods.ttm.vendas;
    expect(value('ttm_evaluation_wape', 'channel="vendas",shard="1/2"')).toBeCloseTo(m.wape, 12);
    expect(value('ttm_evaluation_mape', 'channel="vendas",shard="1/2"')).toBeCloseTo(m.mape / 100, 12);
    expect(value('ttm_evaluation_drift_psi', 'channel="faturamento",shard="1/2"')).toBeCloseTo(report.drift.faturamento.psi, 12);
    expect(value('ttm_evaluation_healthy', 'shard="1/2"')).toBe(report.healthy ? 1 : 0);
    expect(value('ttm_evaluation_series', 'shard="1/2"')).toBe(12);
    expect(text).toMatch(/^ttm_evaluation_forecast\{channel="vendas",regiao="\d+",shard="1\/2"\} \d/m);
  });
});
