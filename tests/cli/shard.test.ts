/**
 * Sharded runs as separate processes, the way a Kubernetes Indexed Job runs them: every shard a
 * process of its own, merged with `ttm predict merge`, byte-identical to the unsharded run; a
 * shard that dies is re-run alone. Also `ttm evaluate --shard` and its --metrics-file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, runCli } from '../helpers/run-cli.js';
import { jobContainer, runContainer } from '../deploy/manifest-commands.js';
import { tinyModel } from './cli-model.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
let t: Awaited<ReturnType<typeof tinyModel>>;
/** the unsharded forecast, the reference */
let want: Buffer;
/** a data root laid out as the Kubernetes volume /data: registry/, dados/, forecasts/ */
let volume: string;

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
    volume = join(t.dir, 'volume');
    mkdirSync(join(volume, 'dados'), { recursive: true });
    copyFileSync(t.data, join(volume, 'dados/db_tratado-w.csv'));
    const reg = runCli(['models', 'register', t.model, '--promote', '--registry', join(volume, 'registry')]);
    expect(reg.code, reg.stderr).toBe(0);
  }, 180_000);
  afterAll(() => rmSync(t.dir, { recursive: true, force: true }));
  const base = () => ['predict', '--all', '--model', t.model, '--data', t.data];
  const part = (n: number, k: number) => join(t.dir, `forecast-${k}-of-${n}.csv`);

  it('N = 1, 3 and 7 shards, merged, are byte-identical to the unsharded forecast', async () => {
    const jobs: (() => Promise<Run>)[] = [];
    for (const n of [1, 3]) for (let k = 0; k < n; k++) jobs.push(() => ttm([...base(), '--shard', `${k}/${n}`, '--out', part(n, k)]));
    const runs = await pool(jobs);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    // N = 7 as deploy/k8s/jobs/predict-sharded.yaml runs it: its container command, one process per
    // JOB_COMPLETION_INDEX, TTM_SHARDS from the manifest, on the registry's active version.
    const job = jobContainer('jobs/predict-sharded.yaml', 'ttm-predict-all');
    expect(job.env.TTM_SHARDS).toBe('7');
    const pods = await pool(Array.from({ length: 7 }, (_, k) => () => runContainer(job, { app: REPO, data: volume, env: { JOB_COMPLETION_INDEX: String(k) } })));
    for (const r of pods) expect(r.code, r.stderr).toBe(0);
    expect(pods.map((r) => /^shard (\d)\/7: \d of 24 series$/m.exec(r.stderr)?.[1])).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    const merge = await runContainer(jobContainer('jobs/predict-merge.yaml', 'ttm-predict-merge'), { app: REPO, data: volume });
    expect(merge.code, merge.stderr).toBe(0);
    expect(readFileSync(join(volume, 'forecasts/forecast.csv')).equals(want), 'the merge Job\'s output').toBe(true);

    expect(want.toString().split('\n')).toHaveLength(1 + 24 * 8 + 1);
    for (const n of [1, 3]) {
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
    // A pod lost mid-run: shard 1/3 killed (SIGKILL once it has started) writes nothing.
    const lost = join(t.dir, 'lost-1.csv');
    const killed = await ttm([...base(), '--shard', '1/3', '--out', lost], {}, /^backend: /m);
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(lost)).toBe(false);

    // Index 3 of the 7-way Indexed Job above failed for good: its file is missing, and the merge
    // Job refuses to write a short forecast, naming the file.
    const forecasts = join(volume, 'forecasts');
    rmSync(join(forecasts, 'part-3.csv'));
    rmSync(join(forecasts, 'forecast.csv'));
    const mergeJob = jobContainer('jobs/predict-merge.yaml', 'ttm-predict-merge');
    const failed = await runContainer(mergeJob, { app: REPO, data: volume });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain(`${join(forecasts, 'part-3.csv')}: cannot read the shard's forecast file`);
    expect(existsSync(join(forecasts, 'forecast.csv'))).toBe(false);

    // The runbook's re-run: deploy/k8s/jobs/predict-shard.yaml with SHARD=3/7, alone; then the merge Job again.
    const one = jobContainer('jobs/predict-shard.yaml', 'ttm-predict-shard');
    const again = await runContainer(one, { app: REPO, data: volume, env: { SHARD: '3/7' } });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^shard 3\/7: \d of 24 series$/m);
    expect((await runContainer(mergeJob, { app: REPO, data: volume })).code).toBe(0);
    expect(readFileSync(join(forecasts, 'forecast.csv')).equals(want)).toBe(true);
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
