/** `bin/ttm.js serve` as a process: JSON log with the address, SIGTERM drains and exits 0, TLS 1.3 only, --workers. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO } from '../helpers/run-cli.js';
import { makeFixture, type Fixture } from './serve-fixture.js';

const built = existsSync(new URL('../../dist/serve/start.js', import.meta.url));
let fx: Fixture;

interface Server {
  child: ChildProcess;
  lines: () => Record<string, unknown>[];
  stderr: () => string;
  url: string;
  exit: Promise<number | null>;
}

/** Spawns the server and waits for `listening` log lines (one per worker). */
async function serve(args: string[], listening = 1): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--model', fx.model, '--data', fx.data, '--auth', fx.authFile, '--backend', 'wasm', ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const stderr = () => err;
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  for (let k = 0; k < 1200; k++) {
    const found = lines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening at'));
    if (found.length >= listening) {
      const url = String(found[0].msg).replace('Server listening at ', '');
      return { child, lines, stderr, url, exit };
    }
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`serve did not start: ${err}`);
}

beforeAll(async () => {
  if (built) fx = await makeFixture('ttm-serve-proc-');
}, 120_000);
afterAll(() => {
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

describe.skipIf(!built)('ttm serve process', () => {
  it('logs JSON with the address, answers, and on SIGTERM finishes in-flight requests then exits 0', { timeout: 240_000 }, async () => {
    const audit = join(fx.dir, 'proc-audit.jsonl');
    const s = await serve(['--audit', audit]);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
    const items = Array.from({ length: 400 }, (_, i) => ({ produto_id: i % 4, regiao_id: i % 6 }));
    const inflight = Array.from({ length: 3 }, () =>
      fetch(`${s.url}/predict/batch`, { method: 'POST', headers: { authorization: `Bearer ${fx.keys.business_user}`, 'content-type': 'application/json' }, body: JSON.stringify({ items }) }),
    );
    for (let k = 0; k < 200 && s.lines().filter((l) => l.msg === 'incoming request').length < 4; k++) await new Promise((r) => setTimeout(r, 10));
    s.child.kill('SIGTERM');
    const answers = await Promise.all(inflight);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const body = await answers[2].json();
    expect(body.metadata).toMatchObject({ count: 400, failed: 0 });
    expect(await s.exit).toBe(0);
    expect(s.lines().some((l) => l.msg === 'draining in-flight requests')).toBe(true);
    const entries = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.filter((e) => e.event === 'model_prediction' && e.status === 200)).toHaveLength(3);
  });

  it('--tls-cert/--tls-key: HTTPS with TLS 1.3 only; --workers 2 share the port; SIGTERM exits 0', { timeout: 240_000 }, async () => {
    const key = join(fx.dir, 'key.pem');
    const cert = join(fx.dir, 'cert.pem');
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const s = await serve(['--tls-cert', cert, '--tls-key', key, '--workers', '2', '--audit', join(fx.dir, 'tls-audit.jsonl')], 2);
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const pids = new Set(s.lines().filter((l) => String(l.msg).startsWith('Server listening')).map((l) => l.pid));
    expect(pids.size).toBe(2);
    const ca = readFileSync(cert);
    const get = (tls: { minVersion?: 'TLSv1.2'; maxVersion?: 'TLSv1.2' | 'TLSv1.3' }) =>
      new Promise<{ status: number; protocol: string }>((resolve, reject) => {
        const req = request(`${s.url}/predict`, { method: 'POST', ca, ...tls, headers: { authorization: `Bearer ${fx.keys.business_user}`, 'content-type': 'application/json' } }, (res) => {
          const protocol = (res.socket as import('node:tls').TLSSocket).getProtocol() ?? '';
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, protocol }));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ produto_id: 1, regiao_id: 1 }));
      });
    const r = await get({ maxVersion: 'TLSv1.3' });
    expect(r).toEqual({ status: 200, protocol: 'TLSv1.3' });
    await expect(get({ maxVersion: 'TLSv1.2' })).rejects.toThrow(/protocol|version|alert/i);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });

  it('--workers 2: /metrics adds up every worker (predictions answered by both), the primary loads no backend', { timeout: 240_000 }, async () => {
    const s = await serve(['--workers', '2', '--no-audit-sync', '--audit', join(fx.dir, 'workers-audit.jsonl')], 2);
    const N = 12;
    // a new connection per request, so the cluster's round robin spreads them over both workers
    const post = (i: number) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${s.url}/predict`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${fx.keys.business_user}`, 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ produto_id: i % 4, regiao_id: i % 6, horizon: 2 }));
      });
    const statuses: number[] = [];
    for (let i = 0; i < N; i++) statuses.push(await post(i));
    expect(statuses).toEqual(Array(N).fill(200));
    const answeredBy = new Set(s.lines().filter((l) => l.msg === 'request completed' && (l.res as { statusCode?: number })?.statusCode === 200).map((l) => l.pid));
    expect(answeredBy.size).toBe(2);
    const value = (text: string, re: RegExp) => Number(text.match(re)?.[1]);
    for (let k = 0; k < 4; k++) {
      const res = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${fx.keys.data_scientist}` } });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(value(text, /^ttm_predictions_total\{endpoint="\/predict"\} (\d+)$/m)).toBe(N);
      expect(value(text, /^ttm_prediction_latency_seconds_count\{endpoint="\/predict"\} (\d+)$/m)).toBe(N);
      // both workers serve the same version: 1, not 2
      expect(value(text, /^ttm_model_info\{version="[^"]+"\} (\d+)$/m)).toBe(1);
      // this scrape is in flight in the worker answering it; the other worker has nothing in flight
      expect(value(text, /^ttm_http_requests_in_flight (\d+)$/m)).toBe(1);
    }
    // each worker says which backend it loaded; the primary loads none
    expect(s.stderr().match(/backend:/g)).toHaveLength(2);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });
});
