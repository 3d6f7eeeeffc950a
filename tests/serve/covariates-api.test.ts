/**
 * The REST API with a model trained with covariates: `future` rows per series (the same numbers
 * as `ttm predict --future`), covariate columns in inline histories, 400 for targets and derived
 * fields, 422 naming the missing weeks, micro-batches mixing series and plans, `ttm serve
 * --future FILE` for key-based requests and the dashboard, a calendar-only model, and the
 * OpenAPI document. A tiny model (4 produtos x 2 UFs, 70 weeks, horizon 4) is trained here.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachFutureCovariates, loadWeekly } from '../../src/data/index.js';
import { findSeries, ForecastResponseSchema, loadForecaster, predictDocument, PredictDocumentSchema, predictSeries, type Forecaster } from '../../src/predict/index.js';
import { REPO, runCliAsync } from '../helpers/run-cli.js';
import { buildApp } from '../../src/serve/app.js';
import { generateApiKey, hashApiKey } from '../../src/config/auth-file.js';
import { singleModel } from '../../src/serve/model-source.js';
import type { AppOptions } from '../../src/serve/options.js';
import { COLS, covariateFixture, FORECAST_WEEKS, H, historyRows, plan, WEEKS, type CovariateFixture } from './covariate-fixture.js';

const FIRST = FORECAST_WEEKS[0];
const KEY = generateApiKey();
const auth = { api_keys: [{ id: 'user', role: 'admin' as const, sha256: hashApiKey(KEY) }] };
const headers = { authorization: `Bearer ${KEY}` };

let fx: CovariateFixture;
let dir: string;
let data: string;
let f: Forecaster;
let app: FastifyInstance;
let withFile: FastifyInstance;
let calendarOnly: FastifyInstance;

function appOn(model: string, o: Partial<AppOptions> = {}) {
  return buildApp({ source: singleModel(model), data, auth, audit: null, pollMs: 0, ...o });
}

beforeAll(async () => {
  fx = await covariateFixture('ttm-serve-cov-', { calendarOnly: true });
  ({ dir, data } = fx);
  f = await loadForecaster(fx.model);
  app = await appOn(fx.model);
  withFile = await appOn(fx.model, { future: fx.future.partial });
  calendarOnly = await appOn(join(dir, 'calendar'));
}, 240_000);

afterAll(async () => {
  await app?.close();
  await withFile?.close();
  await calendarOnly?.close();
  f?.model.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const post = (a: FastifyInstance, body: unknown, url = '/predict') => a.inject({ method: 'POST', url, headers, payload: body as object });

/** What `ttm predict --future FILE --json` gives for one series, as the REST body. */
async function library(p: number, u: number, future: string, horizon = H) {
  const ds = await loadWeekly(data, { covariates: COLS });
  await attachFutureCovariates(ds, future);
  const r = await predictSeries(f, ds, [findSeries(ds, { produto: p, regiao: u })], { horizon, levels: [0.9], strict: true });
  const doc = predictDocument(r, { backend: '', model: '', data: '' });
  return { ...doc.series[0], metadata: { ...doc.series[0].metadata, model_version: 'model' } };
}

describe('/predict with a covariate model', () => {
  it('without future values: 422 naming the series and the weeks, and what to send', async () => {
    const r = await post(app, { produto_id: 1, regiao_id: 0 });
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toBe(`future values of price, base_price, feature are missing for produto 1 regiao 0: all 4 weeks ${FIRST} … 2024-05-27`);
    expect(r.json().hint).toMatch(/send "future": \[\{"date": "2024-05-06", "price": …, "base_price": …, "feature": …\}, …\]/);
    // some weeks sent, two missing: those two are named
    const part = await post(app, { produto_id: 1, regiao_id: 0, future: plan(1, 0).filter((w) => w.date !== FORECAST_WEEKS[1] && w.date !== FORECAST_WEEKS[3]) });
    expect(part.statusCode).toBe(422);
    expect(part.json().message).toBe(`future values of price, base_price, feature are missing for produto 1 regiao 0: ${FORECAST_WEEKS[1]}, ${FORECAST_WEEKS[3]}`);
    // a shorter horizon still needs the model's whole horizon (the model reads every step)
    expect((await post(app, { produto_id: 1, regiao_id: 0, horizon: 2, future: plan(1, 0).slice(0, 2) })).statusCode).toBe(422);
  });

  it('with future values: the same numbers as ttm predict --future; extra weeks and weeks inside the history are ignored', async () => {
    const future = [...plan(2, 1, WEEKS - 2, WEEKS + H + 3)].reverse(); // 2 history weeks, 3 past the horizon, any order
    const r = await post(app, { produto_id: 2, regiao_id: 1, future });
    expect(r.statusCode, r.body).toBe(200);
    const body = ForecastResponseSchema.parse(r.json());
    expect(body.predictions.vendas.map((w) => w.date)).toEqual(FORECAST_WEEKS);
    expect(body).toEqual(await library(2, 1, fx.future.all));
    // the plan matters: no promotion gives other numbers, the same as the library's flat plan
    const flat = await post(app, { produto_id: 2, regiao_id: 1, future: plan(2, 1, WEEKS, WEEKS + H, true) });
    expect(flat.json()).toEqual(await library(2, 1, fx.future.flat));
    expect(flat.json().predictions.vendas).not.toEqual(body.predictions.vendas);
    // several rows of one week are averaged, as in a --future file
    const split = plan(2, 1).flatMap((w) => [{ ...w, price: w.price - 0.5 }, { ...w, price: w.price + 0.5 }]);
    expect((await post(app, { produto_id: 2, regiao_id: 1, future: split })).json()).toEqual(body);
  });

  it('refuses targets (400 that says so), derived and calendar fields, unknown and missing columns', async () => {
    const target = await post(app, { produto_id: 1, regiao_id: 0, future: plan(1, 0).map((w) => ({ ...w, vendas: 10 })) });
    expect(target.statusCode).toBe(400);
    expect(target.json().issues[0]).toEqual({ path: 'future.0.vendas', message: 'vendas is a target: future rows carry only the covariates known in advance, never the values to forecast' });
    const derived = await post(app, { produto_id: 1, regiao_id: 0, future: plan(1, 0).map((w) => ({ ...w, relative_price: 0.75 })) });
    expect(derived.statusCode).toBe(400);
    expect(derived.json().issues[0]).toEqual({ path: 'future.0.relative_price', message: 'relative_price is derived by the server from price and base_price: send those, not relative_price' });
    const calendar = await post(app, { produto_id: 1, regiao_id: 0, future: plan(1, 0).map((w) => ({ ...w, holidays: 1 })) });
    expect(calendar.json().issues[0].message).toBe('holidays is a calendar channel the server computes from the date: leave it out');
    const unknown = await post(app, { produto_id: 1, regiao_id: 0, future: plan(1, 0).map((w) => ({ ...w, prcie: 3 })) });
    expect(unknown.json().issues[0]).toEqual({ path: 'future.0.prcie', message: 'prcie is not a covariate of model model (it reads price, base_price, feature)' });
    const missing = await post(app, { produto_id: 1, regiao_id: 0, future: plan(1, 0).map(({ feature: _, ...w }) => w) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues[0]).toEqual({ path: 'future.0.feature', message: 'feature is missing: model model needs price, base_price, feature in every row' });
    const text = await post(app, { produto_id: 1, regiao_id: 0, future: [{ date: FIRST, price: 'cheap', base_price: 4, feature: 0 }] });
    expect(text.statusCode).toBe(400);
    expect(text.json().issues[0].path).toBe('future.0.price');
  });

  it('inline history carries the covariate columns: the same forecast as by key', async () => {
    const history = historyRows(3, 1);
    const byKey = await post(app, { produto_id: 3, regiao_id: 1, future: plan(3, 1) });
    const inline = await post(app, { produto_id: 3, regiao_id: 1, history, future: plan(3, 1) });
    expect(inline.statusCode, inline.body).toBe(200);
    expect(inline.json()).toEqual(byKey.json());
    expect(inline.json()).toEqual(await library(3, 1, fx.future.all));
    // a history without the columns is a 400 naming the field
    const bare = await post(app, { produto_id: 3, regiao_id: 1, history: history.map(({ date, vendas, faturamento }) => ({ date, vendas, faturamento })), future: plan(3, 1) });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().issues[0]).toEqual({ path: 'history.0.price', message: 'price is missing: model model needs price, base_price, feature in every row' });
  });

  it('/predict/batch mixes series, plans and sources; a series without its weeks fails alone', async () => {
    const history = historyRows(4, 0);
    const items = [
      { produto_id: 1, regiao_id: 1, future: plan(1, 1) },
      { produto_id: 1, regiao_id: 1, future: plan(1, 1, WEEKS, WEEKS + H, true) }, // the same series with another plan
      { produto_id: 2, regiao_id: 0 }, // no future: 422 in its place
      { produto_id: 4, regiao_id: 0, history, future: plan(4, 0), horizon: 2 },
      { produto_id: 3, regiao_id: 0, future: plan(3, 0) },
    ];
    const r = await post(app, { items }, '/predict/batch');
    expect(r.statusCode).toBe(200);
    const res = r.json();
    expect(res.metadata).toEqual({ model_version: 'model', count: 5, failed: 1 });
    expect(res.results[2]).toMatchObject({ status: 422, error: { error: 'unprocessable', message: expect.stringContaining('produto 2 regiao 0: all 4 weeks') } });
    expect(res.results[0]).toEqual(await library(1, 1, fx.future.all));
    expect(res.results[1]).toEqual(await library(1, 1, fx.future.flat));
    expect(res.results[3]).toEqual(await library(4, 0, fx.future.all, 2));
    expect(res.results[4]).toEqual(await library(3, 0, fx.future.all));
    // the same bodies as concurrent /predict requests (micro-batched together) answer the same
    const alone = await Promise.all(items.map((b) => post(app, b)));
    expect(alone.map((x) => x.statusCode)).toEqual([200, 200, 422, 200, 200]);
    alone.forEach((x, k) => {
      if (k !== 2) expect(x.json(), `item ${k}`).toEqual(res.results[k]);
    });
  });

  it.skipIf(!existsSync(join(REPO, 'dist/cli/main.js')))('/predict/batch with future rows equals the process `ttm predict --pairs --future --json`', async () => {
    const pairs = join(dir, 'pairs.csv');
    writeFileSync(pairs, 'produto_cat,uf_cat\n1,0\n4,1\n2,1\n');
    const cli = await runCliAsync(['predict', '--model', fx.model, '--data', data, '--future', fx.future.all, '--pairs', pairs, '--json', '--backend', 'wasm']);
    expect(cli.code, cli.stderr).toBe(0);
    const doc = PredictDocumentSchema.parse(JSON.parse(cli.stdout));
    const r = await post(app, { items: [[1, 0], [4, 1], [2, 1]].map(([p, u]) => ({ produto_id: p, regiao_id: u, future: plan(p, u) })) }, '/predict/batch');
    expect(r.statusCode).toBe(200);
    expect(r.json().results).toEqual(doc.series.map((x) => ({ ...x, metadata: { ...x.metadata, model_version: 'model' } })));
  });

  it('on a real loopback server too', async () => {
    const srv = await appOn(fx.model);
    try {
      const url = await srv.listen({ port: 0, host: '127.0.0.1' });
      const r = await fetch(`${url}/predict`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ produto_id: 2, regiao_id: 1, future: plan(2, 1) }) });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual(await library(2, 1, fx.future.all));
    } finally {
      await srv.close();
    }
  });
});

describe('ttm serve --future FILE', () => {
  it('a file that lacks a column, or no --data, is a start-up error that says so', async () => {
    const bad = join(dir, 'future-bad.csv');
    writeFileSync(bad, 'date,produto_cat,uf_cat,price,base_price\n2024-05-06,1,0,4,4\n');
    await expect(appOn(fx.model, { future: bad })).rejects.toThrow(/future-bad\.csv.*feature/s);
    await expect(appOn(fx.model, { future: fx.future.all, data: null })).rejects.toThrow(/needs the data/);
  });

  it('key-based requests use the file; a request\'s future replaces it for its series; a series the file lacks is a 422', async () => {
    const r = await post(withFile, { produto_id: 2, regiao_id: 1 });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual(await library(2, 1, fx.future.all));
    const own = await post(withFile, { produto_id: 2, regiao_id: 1, future: plan(2, 1, WEEKS, WEEKS + H, true) });
    expect(own.json()).toEqual(await library(2, 1, fx.future.flat));
    // replaced, not merged: two weeks sent, the file's other two are not used
    const short = await post(withFile, { produto_id: 2, regiao_id: 1, future: plan(2, 1).slice(0, 2) });
    expect(short.statusCode).toBe(422);
    expect(short.json().message).toMatch(/produto 2 regiao 1: 2024-05-20, 2024-05-27$/);
    const lacking = await post(withFile, { produto_id: 4, regiao_id: 1 });
    expect(lacking.statusCode).toBe(422);
    expect(lacking.json().message).toMatch(/produto 4 regiao 1: all 4 weeks/);
    expect((await post(withFile, { produto_id: 4, regiao_id: 1, future: plan(4, 1) })).json()).toEqual(await library(4, 1, fx.future.all));
  });

  it('the dashboard forecasts the series the file covers and says which it left out and why', async () => {
    const o = await withFile.inject({ url: '/overview', headers });
    expect(o.statusCode, o.body).toBe(200);
    const body = o.json();
    expect(body.series).toBe(7);
    expect(body.skipped).toBe(1);
    expect(body.left_out).toEqual([{ produto_id: 4, regiao_id: 1, reason: `future values of price, base_price, feature are missing for produto 4 regiao 1: all 4 weeks ${FIRST} … 2024-05-27` }]);
    const one = await withFile.inject({ url: '/series/2/1', headers });
    expect(one.statusCode).toBe(200);
    const lib = await library(2, 1, fx.future.all);
    expect(one.json().forecast.dates).toEqual(FORECAST_WEEKS);
    expect(one.json().forecast.channels.vendas.value).toEqual(lib.predictions.vendas.map((w) => w.value));
    const left = await withFile.inject({ url: '/series/4/1', headers });
    expect(left.statusCode).toBe(404);
    expect(left.json().message).toMatch(/future values of price, base_price, feature are missing/);
    // without a file every series is left out, and the page's data says so
    const none = (await app.inject({ url: '/overview', headers })).json();
    expect(none.series).toBe(0);
    expect(none.left_out).toHaveLength(8);
  });
});

describe('models without covariate columns', () => {
  it('a calendar-only model needs nothing from the client, and refuses "future" with a 400 naming the model', async () => {
    const r = await post(calendarOnly, { produto_id: 1, regiao_id: 0 });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().predictions.vendas.map((w: { date: string }) => w.date)).toEqual(FORECAST_WEEKS);
    const refused = await post(calendarOnly, { produto_id: 1, regiao_id: 0, future: plan(1, 0) });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'bad_request', message: 'model calendar has no covariates (its BR calendar channels come from the dates): "future" has nothing to give it', hint: 'leave out "future"' });
    // history rows with extra columns are refused as before
    const extra = await post(calendarOnly, { produto_id: 1, regiao_id: 0, history: [{ date: '2024-01-01', vendas: 1, faturamento: 2, price: 3 }] });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().issues[0]).toEqual({ path: 'history.0.price', message: 'unknown field price' });
  });
});

describe('/openapi.json', () => {
  it('documents "future" on /predict and /predict/batch, and covariate columns in history rows', async () => {
    const doc = (await app.inject({ url: '/openapi.json', headers })).json();
    const body = doc.paths['/predict'].post.requestBody.content['application/json'].schema;
    const future = body.properties.future;
    expect(future.type).toBe('array');
    expect(future.description).toMatch(/covariates/);
    expect(future.items.properties.date).toMatchObject({ type: 'string', format: 'date' });
    expect(future.items.required).toEqual(['date']);
    expect(future.items.additionalProperties).toMatchObject({ type: 'number', minimum: -1e12, maximum: 1e12 });
    expect(body.properties.history.items.additionalProperties).toMatchObject({ type: 'number' });
    const batch = doc.paths['/predict/batch'].post.requestBody.content['application/json'].schema;
    expect(batch.properties.items.items.properties.future).toEqual(future);
    expect(doc.paths['/overview'].get.responses['200'].content['application/json'].schema.properties.left_out.type).toBe('array');
  });
});
