/** Hot promotion under load on a loopback port: zero failed requests; a corrupt version is refused. */
import { truncateSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activate, appFor, makeFixture, register, type Fixture } from './serve-fixture.js';

let fx: Fixture;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  fx = await makeFixture('ttm-serve-swap-');
  register(fx.registry, 'v2', fx.model, { wape: 0.25 });
  const bad = register(fx.registry, 'v3-corrupt', fx.model);
  truncateSync(join(bad, 'model.safetensors'), 1000);
  const odd = register(fx.registry, 'v4-incompatible', fx.model);
  writeFileSync(join(odd, 'forecaster.json'), '{"format": "something-else"}');
  app = await appFor(fx, { useRegistry: true, pollMs: 50 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  rmSync(fx.dir, { recursive: true, force: true });
});

const auth = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

it('switches to a promoted version under load without failing a request; refuses corrupt ones and keeps serving', async () => {
  let stop = false;
  const statuses = new Map<number, number>();
  const versions = new Set<string>();
  const client = async (i: number) => {
    while (!stop) {
      const r = await fetch(`${base}/predict`, { method: 'POST', headers: auth(fx.keys.business_user), body: JSON.stringify({ produto_id: i % 4, regiao_id: i % 6, horizon: 4 }) });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const body = await r.json();
      if (r.status === 200) versions.add(body.metadata.model_version);
    }
  };
  const clients = Array.from({ length: 8 }, (_, i) => client(i));
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  await pause(400);
  activate(fx.registry, 'v2', 'v1'); // as `ttm models promote v2` would, seen by polling
  for (let k = 0; k < 100 && app.ttm.pool.active?.version !== 'v2'; k++) await pause(20);
  expect(app.ttm.pool.active?.version).toBe('v2');
  await pause(300);

  const corrupt = await fetch(`${base}/models/promote`, { method: 'POST', headers: auth(fx.keys.admin), body: JSON.stringify({ version: 'v3-corrupt' }) });
  expect(corrupt.status).toBe(503);
  expect((await corrupt.json()).message).toContain('refused');
  await pause(200);
  activate(fx.registry, 'v4-incompatible', 'v2');
  for (let k = 0; k < 150 && app.ttm.pool.lastSwapError?.version !== 'v4-incompatible'; k++) await pause(20);
  await pause(100);
  stop = true;
  await Promise.all(clients);

  expect([...statuses.keys()]).toEqual([200]);
  expect(statuses.get(200)).toBeGreaterThan(20);
  expect(versions).toEqual(new Set(['v1', 'v2']));
  expect(app.ttm.pool.active?.version).toBe('v2');
  expect(app.ttm.pool.isLoaded('v1')).toBe(false);

  const models = await (await fetch(`${base}/models`, { headers: auth(fx.keys.admin) })).json();
  expect(models).toMatchObject({ active: 'v4-incompatible', serving: 'v2', last_swap_error: { version: 'v4-incompatible' } });
  const metrics = await (await fetch(`${base}/metrics`, { headers: auth(fx.keys.admin) })).text();
  expect(metrics).toContain('ttm_model_info{version="v2"} 1');
  expect(metrics).not.toContain('ttm_model_info{version="v1"}');
  expect(metrics).toMatch(/ttm_model_swap_failures_total\{version="v3-corrupt"\} [1-9]/);
  expect(metrics).toMatch(/ttm_model_swap_failures_total\{version="v4-incompatible"\} 1/);
});
