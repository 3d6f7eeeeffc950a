#!/usr/bin/env node
// `npm run bench:serve`: `ttm serve` under load on a loopback port, with and without
// micro-batching (A B A B), on the design's default data (150 produtos x 6 UFs = 900 series x
// 156 weeks) and the design's model configuration trained for one short epoch (forecasting time
// does not depend on the weights). Per mode: single /predict requests at several concurrency
// levels (as fast as they go), single requests at a fixed 200/s, and all 900 series in one
// /predict/batch request; then `ttm predict --all` as a process on the same model and data.
// Prints throughput, p50/p95/p99 latency and the error count. Needs the build (dist/).
// Env: BENCH_SECONDS (per load level, default 5), BENCH_ROUNDS (A B rounds, default 2),
// BENCH_WORKERS (a third mode with --workers N when N > 1, default 2).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const BIN = fileURLToPath(new URL('../bin/ttm.js', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

async function setup(dir) {
  const { writeSynth, loadWeekly } = await import(dist('data/index.js'));
  const { trainModel, TRAIN_DEFAULTS } = await import(dist('train/index.js'));
  const { initBackend } = await import(dist('runtime/backend.js'));
  const data = join(dir, 'data.csv');
  await writeSynth(data, { seed: 1 });
  await initBackend(process.env.TTM_BACKEND ?? 'auto');
  const model = join(dir, 'model');
  await trainModel({ ...TRAIN_DEFAULTS, data, output: model, results: join(dir, 'results'), epochs: 1, stride: 52, checkpointEverySteps: 0 });
  const key = `ttm_${randomBytes(32).toString('base64url')}`;
  const auth = join(dir, 'auth.json');
  writeFileSync(auth, JSON.stringify({ api_keys: [{ id: 'bench', role: 'business_user', sha256: createHash('sha256').update(key).digest('hex') }] }));
  const ds = await loadWeekly(data);
  const keys = ds.series.map((s) => ({ produto_id: s.produto, regiao_id: s.regiao }));
  return { data, model, auth, key, keys };
}

async function startServer(env, port, extra) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--model', env.model, '--data', env.data, '--auth', env.auth, '--audit', join(env.dir, `audit-${port}.jsonl`), '--log-level', 'warn', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  for (let k = 0; k < 1200; k++) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return { child, url };
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error(`serve exited: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`serve did not start: ${err}`);
}

function stop(child) {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** autocannon run; latencies collected per response for exact p50/p95/p99. */
function load(url, env, o) {
  const latencies = [];
  let errors = 0;
  let n = 0;
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url,
        connections: o.connections,
        duration: o.duration ?? SECONDS,
        ...(o.rate ? { overallRate: o.rate } : {}),
        headers: { authorization: `Bearer ${env.key}`, 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            path: o.path,
            setupRequest: (req) => ({ ...req, body: o.body(n++) }),
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          requests: result.requests.total,
          rps: result.requests.total / (o.duration ?? SECONDS),
          p50: pct(latencies, 50),
          p95: pct(latencies, 95),
          p99: pct(latencies, 99),
          errors: errors + result.errors + result.timeouts,
        });
      },
    );
    inst.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      if (status !== 200) errors++;
    });
  });
}

async function batchOnce(url, env) {
  const t0 = performance.now();
  const r = await fetch(`${url}/predict/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ items: env.keys }),
  });
  const j = await r.json();
  const ms = performance.now() - t0;
  if (r.status !== 200 || j.metadata.failed !== 0) throw new Error(`batch failed: ${r.status}`);
  return ms;
}

async function runMode(env, name, extra, port) {
  const { child, url } = await startServer(env, port, extra);
  const single = (i) => JSON.stringify({ ...env.keys[(i * 7919) % env.keys.length], horizon: 26 });
  const rows = [];
  try {
    await load(url, env, { connections: 4, path: '/predict', body: single, duration: 2 }); // warm-up
    for (const c of [1, 10, 50]) {
      await new Promise((r) => setTimeout(r, 1000));
      rows.push({ mode: name, load: `single, ${c} conn, max rate`, ...(await load(url, env, { connections: c, path: '/predict', body: single })) });
    }
    await new Promise((r) => setTimeout(r, 2000)); // let the backlog of the last level drain
    rows.push({ mode: name, load: 'single, 20 conn, 200/s', ...(await load(url, env, { connections: 20, rate: 200, path: '/predict', body: single, duration: Math.max(SECONDS, 5) })) });
    const batchMs = [];
    for (let k = 0; k < 5; k++) batchMs.push(await batchOnce(url, env));
    rows.push({ mode: name, load: `batch of ${env.keys.length}, 5 requests`, requests: 5, rps: NaN, p50: median(batchMs), p95: Math.max(...batchMs), p99: Math.max(...batchMs), errors: 0 });
  } finally {
    const code = await stop(child);
    if (code !== 0) console.error(`server exited ${code}`);
  }
  return rows;
}

function cliAll(env) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'predict', '--all', '--model', env.model, '--data', env.data, '--out', join(env.dir, 'all.csv')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ttm predict --all failed: ${r.stderr}`);
  return performance.now() - t0;
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ttm-bench-serve-'));
  try {
    console.error('training the bench model (design configuration, one short epoch) ...');
    const env = { dir, ...(await setup(dir)) };
    const rows = [];
    const cliMs = [];
    let port = 18600 + Math.floor(Math.random() * 200);
    for (let round = 0; round < ROUNDS; round++) {
      rows.push(...(await runMode(env, 'micro-batching (max 32, 100 ms)', [], port++)));
      rows.push(...(await runMode(env, 'no batching', ['--no-batching'], port++)));
      if (WORKERS > 1) rows.push(...(await runMode(env, `micro-batching, --workers ${WORKERS}`, ['--workers', String(WORKERS)], port++)));
      cliMs.push(cliAll(env));
    }
    console.log(`ttm serve bench: ${env.keys.length} series, horizon 26, ${SECONDS} s per load level, ${ROUNDS} rounds (A B A B); a shared, noisy 2-core machine`);
    console.log(['mode'.padEnd(36), 'load'.padEnd(30), 'req'.padStart(6), 'req/s'.padStart(7), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7)].join(' '));
    for (const r of rows) {
      console.log([r.mode.padEnd(36), r.load.padEnd(30), String(r.requests).padStart(6), fmt(r.rps).padStart(7), fmt(r.p50).padStart(8), fmt(r.p95).padStart(8), fmt(r.p99).padStart(8), String(r.errors).padStart(7)].join(' '));
    }
    console.log(`ttm predict --all (${env.keys.length} series, whole process): ${cliMs.map((x) => fmt(x / 1000, 2)).join(', ')} s; median ${fmt(median(cliMs) / 1000, 2)} s`);
    const batch = rows.filter((r) => r.load.startsWith('batch')).map((r) => r.p50);
    console.log(`/predict/batch with all ${env.keys.length} series (request to reply): medians ${batch.map((x) => fmt(x / 1000, 2)).join(', ')} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
