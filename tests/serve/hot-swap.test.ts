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
  register(fx.registry, 'v0002', fx.model, { wape: 0.25 });
  const bad = register(fx.registry, 'v0003', fx.model);
  truncateSync(join(bad, 'model.safetensors'), 1000);
  const odd = register(fx.registry, 'v0004', fx.model);
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
  activate(fx.registry, 'v0002', 'v0001'); // as `ttm models promote v0002` would, seen by polling
  for (let k = 0; k < 100 && app.ttm.pool.active?.version !== 'v0002'; k++) await pause(20);
  expect(app.ttm.pool.active?.version).toBe('v0002');
  await pause(300);

  const corrupt = await fetch(`${base}/models/promote`, { method: 'POST', headers: auth(fx.keys.admin), body: JSON.stringify({ version: 'v0003' }) });
  expect(corrupt.status).toBe(422); // the registry refuses it: active.json stays v0002
  expect((await corrupt.json()).message).toContain('refused');
  activate(fx.registry, 'v0003', 'v0002'); // damaged after promotion: the server refuses it
  for (let k = 0; k < 150 && app.ttm.pool.lastSwapError?.version !== 'v0003'; k++) await pause(20);
  await pause(100);
  activate(fx.registry, 'v0004', 'v0002');
  for (let k = 0; k < 150 && app.ttm.pool.lastSwapError?.version !== 'v0004'; k++) await pause(20);
  await pause(100);
  stop = true;
  await Promise.all(clients);

  expect([...statuses.keys()]).toEqual([200]);
  expect(statuses.get(200)).toBeGreaterThan(20);
  expect(versions).toEqual(new Set(['v0001', 'v0002']));
  expect(app.ttm.pool.active?.version).toBe('v0002');
  expect(app.ttm.pool.isLoaded('v0001')).toBe(false);

  const models = await (await fetch(`${base}/models`, { headers: auth(fx.keys.admin) })).json();
  expect(models).toMatchObject({ active: 'v0004', serving: 'v0002', last_swap_error: { version: 'v0004' } });
  const metrics = await (await fetch(`${base}/metrics`, { headers: auth(fx.keys.admin) })).text();
  expect(metrics).toContain('ttm_model_info{version="v0002"} 1');
  expect(metrics).not.toContain('ttm_model_info{version="v0001"}');
  expect(metrics).toMatch(/ttm_model_swap_failures_total\{version="v0003"\} [1-9]/);
  expect(metrics).toMatch(/ttm_model_swap_failures_total\{version="v0004"\} 1/);
});

it("once the overview has been looked at, a promoted model's band starts at the swap, not at the next look", async () => {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const overview = async () => (await fetch(`${base}/overview`, { headers: auth(fx.keys.business_user) })).json();
  const settled = async () => {
    let o = await overview();
    for (let t = Date.now(); o.band.state === 'computing' && Date.now() - t < 60_000; ) {
      await pause(100);
      o = await overview();
    }
    return o;
  };
  const before = await settled();
  expect(before.model.version).toBe('v0002');
  expect(before.band.state).not.toBe('computing');
  register(fx.registry, 'v0005', fx.model);
  activate(fx.registry, 'v0005', 'v0002');
  for (let k = 0; k < 150 && app.ttm.pool.active?.version !== 'v0005'; k++) await pause(20);
  expect(app.ttm.pool.active?.version).toBe('v0005');
  await pause(300);
  const asked = Date.now();
  const after = await overview();
  expect(after.model.version).toBe('v0005');
  // its own band, started by the swap before anyone asked
  expect(after.band.started_at).not.toBe(before.band.started_at);
  expect(Date.parse(after.band.started_at)).toBeLessThan(asked);
  expect((await settled()).band.state).toBe(before.band.state);
}, 120_000);
