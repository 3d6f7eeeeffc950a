/** A malformed-input corpus against the real server on a loopback port: never a 500, never a crash. */
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, makeFixture, type Fixture } from './serve-fixture.js';

let fx: Fixture;
let app: FastifyInstance;
let base: string;
let port: number;

beforeAll(async () => {
  fx = await makeFixture('ttm-serve-bad-');
  app = await appFor(fx, { bodyLimit: 256 * 1024 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  rmSync(fx.dir, { recursive: true, force: true });
});

const ok = { produto_id: 1, regiao_id: 1, horizon: 2 };
const week = (i: number, v: unknown = 1) => ({ date: new Date(Date.UTC(2024, 0, 1 + 7 * i)).toISOString().slice(0, 10), vendas: v, faturamento: 2 });

/** Bodies as raw strings (so NaN, truncation and duplicates stay as sent). */
const corpus: [string, string, string?][] = [
  ['empty body', ''],
  ['null', 'null'],
  ['array', '[]'],
  ['string', '"predict"'],
  ['number', '42'],
  ['truncated JSON', '{"produto_id": 1, "regi'],
  ['NaN literal', '{"produto_id": NaN, "regiao_id": 1}'],
  ['Infinity via 1e400', '{"produto_id": 1e400, "regiao_id": 1}'],
  ['huge horizon', JSON.stringify({ ...ok, horizon: 1e308 })],
  ['negative horizon', JSON.stringify({ ...ok, horizon: -3 })],
  ['fractional horizon', JSON.stringify({ ...ok, horizon: 2.5 })],
  ['string id', JSON.stringify({ ...ok, produto_id: '1' })],
  ['boolean id', JSON.stringify({ ...ok, regiao_id: true })],
  ['object id', JSON.stringify({ ...ok, produto_id: { $gt: 0 } })],
  ['id beyond int32', JSON.stringify({ ...ok, produto_id: 2 ** 53 })],
  ['missing ids', JSON.stringify({ horizon: 2 })],
  ['unknown field', JSON.stringify({ ...ok, drop_table: true })],
  ['__proto__ key', '{"__proto__": {"admin": true}, "produto_id": 1, "regiao_id": 1}'],
  ['constructor.prototype key', '{"constructor": {"prototype": {"x": 1}}, "produto_id": 1, "regiao_id": 1}'],
  ['duplicate keys', '{"produto_id": 1, "produto_id": "x", "regiao_id": 1}'],
  ['confidence_interval as string', JSON.stringify({ ...ok, confidence_interval: 'yes' })],
  ['interval level over 1', JSON.stringify({ ...ok, interval_levels: [90] })],
  ['interval levels not a list', JSON.stringify({ ...ok, interval_levels: 0.9 })],
  ['model_version as number', JSON.stringify({ ...ok, model_version: 3 })],
  ['model_version path traversal', JSON.stringify({ ...ok, model_version: '../../etc' })],
  ['history not a list', JSON.stringify({ ...ok, history: 'lots' })],
  ['history empty', JSON.stringify({ ...ok, history: [] })],
  ['history of empty objects', JSON.stringify({ ...ok, history: [{}, {}] })],
  ['history bad date', JSON.stringify({ ...ok, history: [{ date: '2024-02-30', vendas: 1, faturamento: 1 }] })],
  ['history date as number', JSON.stringify({ ...ok, history: [{ date: 20240101, vendas: 1, faturamento: 1 }] })],
  ['history huge values', JSON.stringify({ ...ok, history: Array.from({ length: 20 }, (_, i) => week(i, 1e300)) })],
  ['history value as string', JSON.stringify({ ...ok, history: Array.from({ length: 20 }, (_, i) => week(i, '5')) })],
  ['history too long', JSON.stringify({ ...ok, history: Array.from({ length: 600 }, (_, i) => week(i)) })],
  ['history spanning centuries', JSON.stringify({ ...ok, history: [...Array.from({ length: 14 }, (_, i) => week(i)), { date: '0001-01-01', vendas: 1, faturamento: 1 }, { date: '9999-12-31', vendas: 1, faturamento: 1 }] })],
  ['history too short', JSON.stringify({ ...ok, history: Array.from({ length: 3 }, (_, i) => week(i)) })],
  ['history all zeros, unknown UF', JSON.stringify({ ...ok, regiao_id: 4242, history: Array.from({ length: 30 }, (_, i) => week(i, 0)) })],
  ['history of one value repeated, extreme magnitude', JSON.stringify({ ...ok, history: Array.from({ length: 30 }, (_, i) => week(i, 9e11)) })],
  ['deeply nested', `{"produto_id": 1, "regiao_id": 1, "x": ${'['.repeat(5000)}${']'.repeat(5000)}}`],
  ['over the body limit', JSON.stringify({ ...ok, pad: 'x'.repeat(300 * 1024) })],
  ['invalid UTF-8', Buffer.concat([Buffer.from('{"produto_id": 1, "regiao_id": 1, "s": "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]).toString('latin1'), 'latin1'],
  ['batch: items not a list', JSON.stringify({ items: 'all' })],
  ['batch: no items', JSON.stringify({ items: [] })],
  ['batch: too many items', JSON.stringify({ items: Array.from({ length: 5001 }, () => ({ produto_id: 1, regiao_id: 1 })) })],
  ['batch: bad item', JSON.stringify({ items: [ok, { produto_id: 'x' }] })],
];

async function send(url: string, body: string, encoding?: string) {
  const r = await fetch(base + url, {
    method: 'POST',
    headers: { authorization: `Bearer ${fx.keys.admin}`, 'content-type': 'application/json' },
    body: encoding === 'latin1' ? Buffer.from(body, 'latin1') : body,
  });
  const text = await r.text();
  return { status: r.status, text };
}

describe('malformed input never yields a 500 or a crash', () => {
  for (const [name, body, encoding] of corpus) {
    it(name, async () => {
      const url = name.startsWith('batch:') ? '/predict/batch' : '/predict';
      const r = await send(url, body, encoding);
      expect(r.status, `${name}: ${r.text.slice(0, 300)}`).toBeLessThan(500);
      if (r.status >= 400) {
        const j = JSON.parse(r.text);
        expect(j).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
      if (name.includes('batch') && r.status === 200) expect(JSON.parse(r.text).metadata.failed).toBeGreaterThan(0);
    });
  }

  it('specific answers: 400 with the path, 413 over the limit', async () => {
    expect((await send('/predict', JSON.stringify({ ...ok, horizon: 2.5 }))).text).toContain('"path":"horizon"');
    expect((await send('/predict', corpus.find((c) => c[0] === 'over the body limit')![1])).status).toBe(413);
    expect((await send('/predict', '{"produto_id": 1, "regi')).status).toBe(400);
  });

  it('a body cut off mid-stream and a lying Content-Length do not hurt the server', async () => {
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write(`POST /predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fx.keys.admin}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"produto_id": 1,`);
        setTimeout(() => s.destroy(), 50);
      });
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    const garbage = await new Promise<string>((resolve) => {
      let out = '';
      const s = connect(port, '127.0.0.1', () => s.write('GARBAGE / HTTP/9.9\r\n\r\n'));
      s.on('data', (d) => (out += d));
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
      setTimeout(() => s.destroy(), 500);
    });
    expect(garbage).toMatch(/^HTTP\/1.1 400/);
    // the aborted prediction request no longer counts as arriving (it would delay every batch)
    for (let k = 0; k < 100 && app.ttm.arriving() !== 0; k++) await new Promise((r) => setTimeout(r, 20));
    expect(app.ttm.arriving()).toBe(0);
  });

  it('the server still answers correctly afterwards', async () => {
    const r = await send('/predict', JSON.stringify(ok));
    expect(r.status).toBe(200);
    const h = await fetch(`${base}/health`);
    expect(h.status).toBe(200);
    const m = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${fx.keys.admin}` } });
    expect(await m.text()).not.toMatch(/status="5\d\d"/);
  });
});
