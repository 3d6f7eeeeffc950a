/** The REST API through fastify inject: endpoints, roles x endpoints, error statuses, parity with ttm predict. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWeekly } from '../../src/data/index.js';
import { ForecastResponseSchema, loadForecaster, predictDocument, predictSeries, findSeries, PredictDocumentSchema } from '../../src/predict/index.js';
import { ROLES, type Role } from '../../src/serve/auth/permissions.js';
import { runCli } from '../helpers/run-cli.js';
import { TINY_HORIZON } from '../cli/cli-model.js';
import { appFor, bearer, makeFixture, register, type Fixture } from './serve-fixture.js';

let fx: Fixture;
let app: FastifyInstance;
let reg: FastifyInstance;
let auditFile: string;

beforeAll(async () => {
  fx = await makeFixture('ttm-serve-api-');
  auditFile = join(fx.dir, 'audit.jsonl');
  app = await appFor(fx, { audit: auditFile });
  reg = await appFor(fx, { useRegistry: true });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await reg?.close();
  rmSync(fx.dir, { recursive: true, force: true });
});

const predict = (body: unknown, key: string = fx.keys.business_user, url = '/predict') => app.inject({ method: 'POST', url, headers: bearer(key), payload: body as object });

describe('endpoints', () => {
  it('/health is open and names the model', async () => {
    const r = await app.inject('/health');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ok', model_version: 'model' });
  });

  it('/predict answers the same numbers as predictSeries and `ttm predict --json`, in the library forecast shape', async () => {
    const r = await predict({ produto_id: 1, regiao_id: 2, horizon: 5, interval_levels: [0.8, 0.95] });
    expect(r.statusCode).toBe(200);
    const body = ForecastResponseSchema.parse(r.json());
    expect(body.metadata).toMatchObject({ produto_id: 1, regiao_id: 2, horizon: 5, interval_levels: [0.8, 0.95], model_version: 'model' });
    expect(body.predictions.vendas).toHaveLength(5);

    const f = await loadForecaster(fx.model);
    const ds = await loadWeekly(fx.data);
    const lib = await predictSeries(f, ds, [findSeries(ds, { produto: 1, regiao: 2 })], { horizon: 5, levels: [0.8, 0.95], strict: true });
    f.model.dispose();
    const doc = predictDocument(lib, { backend: '', model: '', data: '' });
    expect(body).toEqual({ ...doc.series[0], metadata: { ...doc.series[0].metadata, model_version: 'model' } });
  });

  it.skipIf(!existsSync(new URL('../../dist/cli/main.js', import.meta.url)))('/predict/batch equals the process `ttm predict --pairs --json`', async () => {
    const pairs = join(fx.dir, 'pairs.csv');
    writeFileSync(pairs, 'produto_cat,uf_cat\n0,0\n3,5\n2,1\n');
    const cli = runCli(['predict', '--model', fx.model, '--data', fx.data, '--pairs', pairs, '--json', '--backend', 'wasm']);
    expect(cli.code, cli.stderr).toBe(0);
    const doc = PredictDocumentSchema.parse(JSON.parse(cli.stdout));
    const r = await predict({ items: [{ produto_id: 0, regiao_id: 0 }, { produto_id: 3, regiao_id: 5 }, { produto_id: 2, regiao_id: 1 }] }, fx.keys.business_user, '/predict/batch');
    expect(r.statusCode).toBe(200);
    const res = r.json();
    expect(res.metadata).toEqual({ model_version: 'model', count: 3, failed: 0 });
    expect(res.results).toEqual(doc.series.map((s) => ({ ...s, metadata: { ...s.metadata, model_version: 'model' } })));
  });

  it('concurrent requests share model calls and get the numbers they get alone', async () => {
    const keys = [0, 1, 2, 3].flatMap((p) => [0, 1, 2, 3, 4].map((u) => ({ produto_id: p, regiao_id: u, horizon: 3 })));
    const alone = [];
    for (const k of keys.slice(0, 4)) alone.push((await predict(k)).json());
    const before = await app.inject({ url: '/metrics', headers: bearer(fx.keys.admin) });
    const count = (text: string) => Number(/^ttm_batch_size_count (\d+)/m.exec(text)![1]);
    const together = await Promise.all(keys.map((k) => predict(k)));
    const after = await app.inject({ url: '/metrics', headers: bearer(fx.keys.admin) });
    expect(together.every((r) => r.statusCode === 200)).toBe(true);
    const calls = count(after.body) - count(before.body);
    expect(calls).toBeLessThan(keys.length);
    expect(calls).toBeGreaterThanOrEqual(Math.ceil(keys.length / 32));
    expect(together.slice(0, 4).map((r) => r.json())).toEqual(alone);
  });

  it('history inline: the same forecast as by key for a served series; an unseen series is forecast too', async () => {
    const rows = readFileSync(fx.data, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const history = rows.filter((c) => c[1] === '2' && c[2] === '3').map((c) => ({ date: c[0], vendas: Number(c[3]), faturamento: Number(c[4]) }));
    const byKey = await predict({ produto_id: 2, regiao_id: 3 });
    const inline = await predict({ produto_id: 2, regiao_id: 3, history });
    expect(inline.statusCode).toBe(200);
    expect(inline.json()).toEqual(byKey.json());
    const unseen = await predict({ produto_id: 777, regiao_id: 3, history: history.map((w) => ({ ...w, vendas: w.vendas * 2 })) });
    expect(unseen.statusCode).toBe(200);
    expect(unseen.json().metadata).toMatchObject({ produto_id: 777, regiao_id: 3, horizon: TINY_HORIZON });
    // a by-key request and inline ones in one micro-batch
    const mixed = await Promise.all([predict({ produto_id: 2, regiao_id: 3 }), predict({ produto_id: 2, regiao_id: 3, history: history.slice(5) }), predict({ produto_id: 2, regiao_id: 3, history })]);
    expect(mixed.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(mixed[2].json()).toEqual(byKey.json());
    expect(mixed[0].json()).toEqual(byKey.json());
  });

  it('confidence_interval false drops the bounds', async () => {
    const r = await predict({ produto_id: 1, regiao_id: 1, horizon: 2, confidence_interval: false });
    expect(r.json().predictions.vendas[0]).toEqual({ date: expect.any(String), value: expect.any(Number) });
    expect(r.json().metadata.interval_levels).toEqual([]);
  });

  it('/models lists versions with metrics and the active one; /openapi.json documents the routes', async () => {
    const m = await reg.inject({ url: '/models', headers: bearer(fx.keys.data_scientist) });
    expect(m.statusCode).toBe(200);
    expect(m.json()).toMatchObject({ active: 'v0001', serving: 'v0001', versions: [{ version: 'v0001', active: true, loaded: true, metrics: { wape: 0.3 } }], last_swap_error: null });
    const o = await app.inject({ url: '/openapi.json', headers: bearer(fx.keys.readonly) });
    expect(o.statusCode).toBe(200);
    const doc = o.json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths).sort()).toEqual([
      // the dashboard (issue 16): the page, its files and its read endpoints
      '/dashboard', '/dashboard/assets/:file', '/dashboard/vendor/:file', '/evaluations', '/evaluations/:id', '/evaluations/latest',
      '/health', '/metrics', '/models', '/models/promote', '/models/rollback', '/openapi.json',
      '/overview', '/predict', '/predict/batch', '/series', '/series/:produto/:regiao', '/series/:produto/:regiao/forecast.csv',
    ]);
    const body = doc.paths['/predict'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['produto_id', 'regiao_id']);
    expect(body.properties.horizon).toMatchObject({ minimum: 1, maximum: 26 });
    expect(body.additionalProperties).toBe(false);
  });

  it('/metrics has the contract names and the process metrics', async () => {
    const r = await app.inject({ url: '/metrics', headers: bearer(fx.keys.admin) });
    expect(r.statusCode).toBe(200);
    for (const name of ['ttm_prediction_latency_seconds_bucket', 'ttm_predictions_total', 'ttm_batch_size_bucket', 'ttm_batch_duration_seconds_bucket', 'ttm_http_requests_in_flight', 'ttm_http_requests_total', 'ttm_model_info{version="model"} 1', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes']) {
      expect(r.body).toContain(name);
    }
    expect(r.body).toMatch(/ttm_http_requests_total\{method="POST",route="\/predict",status="200"\} \d+/);
  });

  it('promote and rollback (admin) change the registry and what is served', async () => {
    const p = await reg.inject({ method: 'POST', url: '/models/promote', headers: bearer(fx.keys.admin), payload: { version: 'v0001' } });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toEqual({ active: 'v0001', previous: null, serving: 'v0001' });
    const back = await reg.inject({ method: 'POST', url: '/models/rollback', headers: bearer(fx.keys.admin), payload: {} });
    expect(back.statusCode).toBe(409);
    expect(back.json().message).toContain('no previous version');
    const missing = await reg.inject({ method: 'POST', url: '/models/promote', headers: bearer(fx.keys.admin), payload: { version: 'v0009' } });
    expect(missing.statusCode).toBe(404);
    expect(JSON.stringify(missing.json())).toContain('v0001');
    const single = await app.inject({ method: 'POST', url: '/models/promote', headers: bearer(fx.keys.admin), payload: { version: 'v0001' } });
    expect(single.statusCode).toBe(409);
  });
});

describe('access control: every role x endpoint', () => {
  const allowed: Record<string, Role[] | 'open' | 'any'> = {
    'GET /health': 'open',
    'POST /predict': ['business_user', 'admin'],
    'POST /predict/batch': ['business_user', 'admin'],
    'GET /models': ['data_scientist', 'admin'],
    'GET /metrics': ['data_scientist', 'admin'],
    'GET /openapi.json': 'any',
    'POST /models/promote': ['admin'],
    'POST /models/rollback': ['admin'],
  };
  const payload: Record<string, object> = {
    '/predict': { produto_id: 1, regiao_id: 1, horizon: 1 },
    '/predict/batch': { items: [{ produto_id: 1, regiao_id: 1, horizon: 1 }] },
    '/models/promote': { version: 'v0001' },
    '/models/rollback': {},
  };
  for (const [route, who] of Object.entries(allowed)) {
    it(route, async () => {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      const call = (headers: Record<string, string>) => reg.inject({ method, url, headers, ...(method === 'POST' ? { payload: payload[url] } : {}) });
      const anon = await call({});
      expect(anon.statusCode).toBe(who === 'open' ? 200 : 401);
      if (who !== 'open') expect(anon.json()).toMatchObject({ error: 'unauthorized', message: 'no credential', hint: expect.any(String) });
      for (const role of ROLES) {
        const ok = who === 'open' || who === 'any' || who.includes(role);
        // the same key via X-API-Key for half the roles
        const headers: Record<string, string> = role.length % 2 ? bearer(fx.keys[role]) : { 'x-api-key': fx.keys[role] };
        const r = await call(headers);
        if (ok) expect([200, 409], `${role} ${route}: ${r.body}`).toContain(r.statusCode);
        else {
          expect(r.statusCode, `${role} ${route}`).toBe(403);
          expect(r.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining(`key:${role}-key`) });
        }
      }
      const bad = await call(bearer('ttm_notakeynotakeynotakeynotakeynotakeynotakeyno'));
      expect(bad.statusCode).toBe(who === 'open' ? 200 : 401);
    });
  }
});

describe('auth file changes', () => {
  it('a key created or revoked while the server runs takes effect without a restart', async () => {
    const { createApiKey, revokeApiKey } = await import('../../src/io/auth-file-store.js');
    const file = join(fx.dir, 'live-auth.json');
    writeFileSync(file, JSON.stringify(fx.auth));
    const live = await appFor(fx, { authFile: file, pollMs: 50 });
    const { key } = await createApiKey(file, 'late', 'business_user');
    const call = () => live.inject({ method: 'POST', url: '/predict', headers: bearer(key), payload: { produto_id: 1, regiao_id: 1, horizon: 1 } });
    let code = 0;
    for (let k = 0; k < 100 && code !== 200; k++) {
      await new Promise((r) => setTimeout(r, 30));
      code = (await call()).statusCode;
    }
    expect(code).toBe(200);
    await revokeApiKey(file, 'late');
    for (let k = 0; k < 100 && code !== 401; k++) {
      await new Promise((r) => setTimeout(r, 30));
      code = (await call()).statusCode;
    }
    expect(code).toBe(401);
    await live.close();
  });
});

describe('error statuses', () => {
  it('400 names the field and what is allowed', async () => {
    const r = await predict({ produto_id: 1, regiao_id: 1, horizon: 0 });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'bad_request', issues: [{ path: 'horizon', message: expect.stringMatching(/>=\s*1/) }] });
    const over = await predict({ produto_id: 1, regiao_id: 1, horizon: TINY_HORIZON + 1 });
    expect(over.statusCode).toBe(400);
    expect(over.json().message).toContain(`1 … ${TINY_HORIZON} weeks`);
    const extra = await predict({ produto_id: 1, regiao_id: 1, colour: 'red' });
    expect(extra.json()).toMatchObject({ issues: [{ path: '(body)', message: 'unknown field(s) colour' }] });
  });

  it('404 lists what exists; unknown routes and versions are 404', async () => {
    const r = await predict({ produto_id: 1, regiao_id: 99 });
    expect(r.statusCode).toBe(404);
    expect(r.json().message).toMatch(/produto_cat 1 has no rows for uf_cat 99; its regioes: 0, 1, 2, 3, 4, 5/);
    expect(r.json().message).not.toContain(fx.dir);
    expect((await predict({ produto_id: 1, regiao_id: 1, model_version: 'v0007' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/nope', headers: bearer(fx.keys.admin) })).statusCode).toBe(404);
  });

  it('413 over the body limit, 415 for a body that is not JSON, 422 for a history too short', async () => {
    const big = await predict({ produto_id: 1, regiao_id: 1, pad: 'x'.repeat(5 * 1024 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('payload_too_large');
    const text = await app.inject({ method: 'POST', url: '/predict', headers: { ...bearer(fx.keys.admin), 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(text.statusCode).toBe(415);
    const short = await predict({ produto_id: 1, regiao_id: 1, history: [{ date: '2024-01-01', vendas: 1, faturamento: 2 }] });
    expect(short.statusCode).toBe(422);
    expect(short.json().message).toContain('needs at least 13');
  });

  it('batch items fail one by one; one model_version per batch', async () => {
    const r = await predict({ items: [{ produto_id: 1, regiao_id: 1 }, { produto_id: 1, regiao_id: 99 }] }, fx.keys.admin, '/predict/batch');
    expect(r.statusCode).toBe(200);
    expect(r.json().metadata.failed).toBe(1);
    expect(r.json().results[1]).toMatchObject({ status: 404, error: { error: 'not_found' } });
    const two = await predict({ items: [{ produto_id: 1, regiao_id: 1, model_version: 'a' }, { produto_id: 1, regiao_id: 1, model_version: 'b' }] }, fx.keys.admin, '/predict/batch');
    expect(two.statusCode).toBe(400);
  });

  it('model_version picks a registered version other than the active one', async () => {
    register(fx.registry, 'v0002', fx.model);
    const r = await reg.inject({ method: 'POST', url: '/predict', headers: bearer(fx.keys.admin), payload: { produto_id: 1, regiao_id: 1, model_version: 'v0002' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().metadata.model_version).toBe('v0002');
    expect(reg.ttm.pool.active?.version).toBe('v0001');
  });

  it('503 timeout when the model does not answer in --request-timeout', async () => {
    // a model call cannot be interrupted, but a request waiting behind others gives up in time
    const slow = await appFor(fx, { requestTimeoutMs: 50 });
    const items = Array.from({ length: 1500 }, (_, i) => ({ produto_id: i % 4, regiao_id: i % 6 }));
    const rs = await Promise.all([1, 2, 3].map(() => slow.inject({ method: 'POST', url: '/predict/batch', headers: bearer(fx.keys.admin), payload: { items } })));
    const codes = rs.map((r) => r.statusCode);
    expect(codes).toContain(503);
    expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
    expect(rs.find((r) => r.statusCode === 503)!.json()).toMatchObject({ error: 'timeout', message: 'the model did not answer within 50 ms' });
    await slow.close();
  });

  it('503 when the model cannot answer', async () => {
    const broken = await appFor(fx);
    broken.ttm.pool.active!.forecaster.model.dispose();
    const r = await broken.inject({ method: 'POST', url: '/predict', headers: bearer(fx.keys.admin), payload: { produto_id: 1, regiao_id: 1 } });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ error: 'unavailable', message: expect.stringContaining('the model could not answer') });
    await broken.close();
  });
});

describe('audit trail', () => {
  it('one JSON line per audited request: who (never the secret), what, when, outcome', () => {
    const text = readFileSync(auditFile, 'utf8');
    for (const key of Object.values(fx.keys)) expect(text).not.toContain(key);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(20);
    expect(lines[0]).toMatchObject({ event: 'model_prediction', who: 'key:business_user-key', action: 'POST /predict', outcome: 'ok', status: 200, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(lines.some((l) => l.status === 404 && l.outcome === 'error')).toBe(true);
    expect(lines.some((l) => l.event === 'config_change' && l.outcome === 'error' && l.status === 409)).toBe(true);
  });
});
