/** The dashboard's read endpoints (fastify inject): figures checked against the data and the stored reports. */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutDataset, loadWeekly, type WeeklyDataset } from '../../src/data/index.js';
import { forecastSeries, loadForecaster, stepProfile } from '../../src/predict/index.js';
import type { Overview } from '../../src/serve/dashboard/overview.js';
import type { ActiveModel } from '../../src/serve/dashboard/deps.js';
import { computeTotalBand, TotalBandStore } from '../../src/serve/dashboard/total-band-job.js';
import { buildApp } from '../../src/serve/app.js';
import { singleModel } from '../../src/serve/model-source.js';
import { dashboardFixture, type DashboardFixture } from './dashboard-fixture.js';
import { generateApiKey, hashApiKey, ROLES, type Role } from '../../src/config/auth-file.js';

const keys = Object.fromEntries(ROLES.map((r) => [r, generateApiKey()])) as Record<Role, string>;
const VIEWER = keys.readonly;
const SCIENTIST = keys.data_scientist;
let fx: DashboardFixture;
let app: FastifyInstance;
let ds: WeeklyDataset;
const get = (url: string, key: string | null = VIEWER) => app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('dashboard read endpoints', () => {
  beforeAll(async () => {
    fx = await dashboardFixture();
    app = await buildApp({
      source: singleModel(fx.model),
      data: fx.data,
      auth: { api_keys: ROLES.map((r) => ({ id: `${r}-key`, role: r, sha256: hashApiKey(keys[r]) })) },
      audit: join(fx.dir, 'audit.jsonl'),
      evaluations: join(fx.results, 'evaluations'),
      pollMs: 0,
    });
    ds = await loadWeekly(fx.data);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (fx) rmSync(fx.dir, { recursive: true, force: true });
  });

  it('answers 401 without a credential and 403 without view_dashboards, on every read endpoint, and audits the reads', async () => {
    const urls = ['/series', '/series/3/2', '/series/3/2/forecast.csv', '/overview', '/evaluations', '/evaluations/latest'];
    for (const url of urls) {
      const none = await get(url, null);
      expect(none.statusCode, url).toBe(401);
      expect(none.json().error).toBe('unauthorized');
      const denied = await get(url, SCIENTIST);
      expect(denied.statusCode, url).toBe(403);
      expect(denied.json().message).toMatch(/needs the view_dashboards permission/);
      for (const role of ['business_user', 'readonly', 'admin'] as const) expect((await get(url, keys[role])).statusCode, `${role} ${url}`).toBe(200);
    }
    const audit = readFileSync(join(fx.dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const reads = audit.filter((e) => e.event === 'data_access' && e.action === 'GET /overview');
    expect(reads.map((e) => e.outcome).sort()).toEqual(['denied', 'denied', 'ok', 'ok', 'ok']);
    expect(reads.find((e) => e.outcome === 'ok' && e.who === 'key:readonly-key')).toBeTruthy();
  });

  it('lists the dashboard endpoints in /openapi.json with their permission', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(doc.paths['/overview'].get['x-permission']).toBe('view_dashboards');
    expect(doc.paths['/series/:produto/:regiao'].get['x-permission']).toBe('view_dashboards');
    expect(doc.paths['/dashboard'].get['x-permission']).toBe('open');
  });

  it('lists the 900 series with their UF', async () => {
    const r = (await get('/series')).json();
    expect(r.count).toBe(900);
    expect(r.series).toHaveLength(900);
    expect(r.series.filter((s: { uf: string }) => s.uf === 'SP')).toHaveLength(150);
    expect(new Set(r.series.map((s: { uf: string }) => s.uf))).toEqual(new Set(['SP', 'GO', 'MG', 'EX', 'RS', 'PR']));
  });

  it('gives one series: its actual history from the data and 26 forecast weeks inside their interval', async () => {
    const r = (await get('/series/17/4?history=30')).json();
    const s = ds.series.find((x) => x.produto === 17 && x.regiao === 4)!;
    expect(r.uf).toBe('RS');
    expect(r.history.dates).toHaveLength(30);
    expect(r.history.channels.vendas).toEqual([...s.values[0].slice(s.length - 30)]);
    expect(r.history.channels.faturamento.at(-1)).toBe(s.values[1][s.length - 1]);
    const f = r.forecast.channels.vendas;
    expect(r.forecast.dates).toHaveLength(26);
    // the first forecast week follows the last history week
    expect(Date.parse(r.forecast.dates[0]) - Date.parse(r.history.dates.at(-1))).toBe(7 * 86_400_000);
    f.value.forEach((v: number, h: number) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(f.lower[h]).toBeLessThanOrEqual(v);
      expect(f.upper[h]).toBeGreaterThanOrEqual(v);
    });
  });

  it('downloads the same forecast as CSV in ttm predict columns', async () => {
    const csv = await get('/series/17/4/forecast.csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('date,produto_cat,uf_cat,vendas,faturamento,vendas_lo_90,vendas_hi_90,faturamento_lo_90,faturamento_hi_90');
    expect(lines).toHaveLength(27);
    const json = (await get('/series/17/4')).json();
    expect(Number(lines[1].split(',')[3])).toBeCloseTo(json.forecast.channels.vendas.value[0], 3);
  });

  it('answers 404 naming what exists for an unknown series and 400 for a non-numeric key', async () => {
    const r = await get('/series/999/0');
    expect(r.statusCode).toBe(404);
    expect(r.json().message).toMatch(/produto_cat 999 is not in the data; produtos: 0, 1, 2/);
    expect((await get('/series/3/9')).json().message).toMatch(/its regioes: 0, 1, 2, 3, 4, 5/);
    expect((await get('/series/abc/0')).statusCode).toBe(400);
    expect((await get('/series/1/0?history=0')).statusCode).toBe(400);
  });

  it('overview: totals are the sums of the series forecasts, last year is the data 52 weeks earlier, per UF', async () => {
    const o = (await get('/overview')).json();
    expect(o.horizon).toBe(26);
    expect(o.series).toBe(900);
    expect(o.model).toMatchObject({ version: 'model', trained_through: expect.any(String) });
    expect(o.model.trained_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    // last year, independently from the CSV: the 26 weeks starting 52 weeks before the first forecast week
    const rows = readFileSync(fx.data, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const lastYear = new Set(o.last_year_dates);
    const fromCsv = (uf: number | null) => rows.filter((r) => lastYear.has(r[0]) && (uf === null || Number(r[2]) === uf)).reduce((a, r) => a + Number(r[3]), 0);
    expect(o.channels.vendas.total.last_year).toBeCloseTo(fromCsv(null), 6);
    const sp = o.channels.vendas.by_uf.find((u: { uf: string }) => u.uf === 'SP');
    expect(sp.last_year).toBeCloseTo(fromCsv(0), 6);
    expect(o.channels.vendas.by_uf.map((u: { uf: string }) => u.uf)).toEqual(['SP', 'GO', 'MG', 'EX', 'RS', 'PR']);
    // forecast total = sum over the series endpoint's forecasts of one UF's series (spot check: UF EX)
    let ex = 0;
    for (let p = 0; p < 150; p++) ex += (await get(`/series/${p}/3?history=1`)).json().forecast.channels.faturamento.value.reduce((a: number, b: number) => a + b, 0);
    const exO = o.channels.faturamento.by_uf.find((u: { uf: string }) => u.uf === 'EX');
    expect(exO.forecast).toBeCloseTo(ex, 3);
    expect(exO.change).toBeCloseTo(exO.forecast / exO.last_year - 1, 12);
    const sumUf = o.channels.vendas.by_uf.reduce((a: number, u: { forecast: number }) => a + u.forecast, 0);
    expect(o.channels.vendas.total.forecast).toBeCloseTo(sumUf, 3);
  });

  it('overview band: null bounds while computing, then a conformal interval of each total from the backtest of that total', async () => {
    type Fig = { forecast: number; lower: number | null; upper: number | null };
    const figures = (o: Overview) => Object.values(o.channels).flatMap((c) => [c.total, ...c.by_uf]);
    const first = (await get('/overview')).json() as Overview;
    expect(first.band.method).toBe('conformal_relative_error_of_totals_rolling_origin');
    if (first.band.state === 'computing') {
      // never a guessed band while the backtest runs
      for (const f of figures(first)) expect([f.lower, f.upper]).toEqual([null, null]);
      for (const c of Object.values(first.channels)) expect([...c.weekly.lower, ...c.weekly.upper].every((x) => x === null)).toBe(true);
      expect(first.band.origins).toEqual([]);
    }
    let o = first;
    const t0 = Date.now();
    while (o.band.state === 'computing' && Date.now() - t0 < 120_000) {
      await new Promise((r) => setTimeout(r, 250));
      o = (await get('/overview')).json();
    }
    console.log(`overview band ready ${((Date.now() - t0) / 1000).toFixed(1)} s after the first request (900 series x 26 origins, one background thread)`);
    expect(o.band).toMatchObject({ state: 'ready', reason: null });
    expect(o.band.origins).toHaveLength(26);
    // the fixture's model trained on all 120 weeks: every backtest week is in-sample, and it says so
    expect(o.band.held_out_share).toBe(0);
    for (const f of figures(o) as Fig[]) {
      expect(f.lower!).toBeLessThan(f.forecast);
      expect(f.upper!).toBeGreaterThan(f.forecast);
    }
    for (const c of Object.values(o.channels)) {
      c.weekly.forecast.forEach((f, h) => {
        expect(c.weekly.lower[h]!).toBeLessThan(f);
        expect(c.weekly.upper[h]!).toBeGreaterThan(f);
      });
    }
    // Independently: the model's forecasts at the last 26 origins (every week back from the
    // latest whose 26 weeks of actuals are in the data), summed per group here; the band's
    // relative half-width must be the 25th smallest (ceil(27 · 0.9)) of the 26 relative errors.
    const f = await loadForecaster(fx.model);
    try {
      const H = 26;
      const latest = ds.weeks - H;
      const refs = ds.series.flatMap((_, i) => Array.from({ length: 26 }, (_, k) => ({ series: i, origin: latest - 25 + k })));
      const fc = await forecastSeries(f, ds, refs);
      for (const [c, ch] of ['vendas', 'faturamento'].entries()) {
        for (const regiao of [null, 3]) {
          const F = new Array(26).fill(0);
          const A = new Array(26).fill(0);
          const Fw = Array.from({ length: 26 }, () => new Array(H).fill(0)); // [origin][step] weekly totals
          const Aw = Array.from({ length: 26 }, () => new Array(H).fill(0));
          refs.forEach((r, i) => {
            const s = ds.series[r.series];
            if (regiao !== null && s.regiao !== regiao) return;
            const k = r.origin - (latest - 25);
            for (let h = 0; h < H; h++) {
              F[k] += fc.values[i][h * 2 + c];
              A[k] += s.values[c][r.origin - s.start + h];
              Fw[k][h] += fc.values[i][h * 2 + c];
              Aw[k][h] += s.values[c][r.origin - s.start + h];
            }
          });
          const q = F.map((x, k) => Math.abs(A[k] - x) / x).sort((a, b) => a - b)[24];
          const fig = regiao === null ? o.channels[ch].total : o.channels[ch].by_uf.find((u) => u.regiao === regiao)!;
          expect(fig.upper! / fig.forecast - 1, `${ch} ${regiao}`).toBeCloseTo(q, 9);
          expect(1 - fig.lower! / fig.forecast, `${ch} ${regiao}`).toBeCloseTo(q, 9);
          if (regiao === null) {
            // weekly: each step's 26 scores over the step profile, pooled: the 610th (ceil(677 · 0.9)) of 676
            const byStep = Array.from({ length: H }, (_, h) => Fw.map((f, k) => Math.abs(Aw[k][h] - f[h]) / f[h]));
            const g = stepProfile(byStep);
            const qw = byStep.flatMap((row, h) => row.map((x) => x / g[h])).sort((a, b) => a - b)[609];
            const w = o.channels[ch].weekly;
            w.forecast.forEach((x, h) => expect(w.upper[h]! / x - 1, `${ch} week ${h + 1}`).toBeCloseTo(qw * g[h], 9));
          }
        }
      }
      // too little data for 9 origins: no band, and the reason
      const short = cutDataset(ds, 13 + 26 + 6);
      const none = await computeTotalBand(f, short, short.series.map((_, i) => i), 0.9);
      expect(none).toEqual({ reason: expect.stringMatching(/8 backtest origins .* a 90% band of the totals needs at least 9/) });
    } finally {
      f.model.dispose();
    }
  }, 180_000);

  it('band store: one job per (model, data) pair, a swapped-in model gets its own, the job holds its model, close stops a running job', async () => {
    // 30 series keep the backtest small (26 x 30 windows)
    const small: WeeklyDataset = { ...ds, series: ds.series.slice(0, 30) };
    const all = small.series.map((_, i) => i);
    const held: string[] = [];
    const active = async (version: string): Promise<ActiveModel> => {
      const forecaster = await loadForecaster(fx.model);
      return { version, trained_at: null, forecaster, hold: async (work) => (held.push(version), work()) };
    };
    const [a, b, c] = [await active('a'), await active('b'), await active('c')];
    const store = new TotalBandStore();
    const settle = async (m: ActiveModel) => {
      for (let t = Date.now(); store.status(m, small, all, 0.9).state === 'computing' && Date.now() - t < 60_000; ) await new Promise((r) => setTimeout(r, 100));
      return store.status(m, small, all, 0.9);
    };
    try {
      expect(store.status(a, small, all, 0.9)).toMatchObject({ state: 'computing', startedAt: expect.any(String) });
      const ra = await settle(a);
      expect(ra.state).toBe('ready');
      // a new model object (what a hot swap brings): a new job, not the old band
      expect(store.status(b, small, all, 0.9)).toMatchObject({ state: 'computing' });
      expect((await settle(b)).state).toBe('ready');
      expect(store.status(a, small, all, 0.9)).toBe(ra); // cached
      expect(held).toEqual(['a', 'b']);
      // the same weights give the same band: the cache is per object, the figures are the model's
      if (ra.state === 'ready') expect((store.status(b, small, all, 0.9) as typeof ra).band.quantiles).toEqual(ra.band.quantiles);
      // closing the store stops a running job: unavailable, with the reason, and no hang
      store.status(c, small, all, 0.9);
      await store.close();
      const rc = await settle(c);
      expect(rc).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/backtest of the totals failed: .*(shutting down|closed)/) });
    } finally {
      for (const m of [a, b, c]) m.forecaster.model.dispose();
    }
  }, 120_000);

  it('evaluations: lists the stored reports oldest first and maps the latest to snake_case fractions', async () => {
    const files = readdirSync(join(fx.results, 'evaluations')).sort();
    const list = (await get('/evaluations')).json();
    expect(list.evaluations.map((e: { id: string }) => `${e.id}.json`)).toEqual(files);
    expect(list.skipped).toEqual([]);
    const raw = JSON.parse(readFileSync(join(fx.results, 'evaluations', files[1]), 'utf8'));
    const latest = (await get('/evaluations/latest')).json();
    expect(latest.id).toBe(files[1].replace(/\.json$/, ''));
    expect(latest.origins).toEqual(raw.backtest.origins);
    expect(raw.schema_version).toBe(2); // the file: snake_case keys, ratios as fractions
    expect(latest.error_rate).toBe(raw.backtest.error_rate);
    const v = latest.channels.vendas;
    expect(v.methods.ttm.wape).toBe(raw.backtest.methods.ttm.vendas.wape);
    expect(v.methods.snaive52.mase).toBe(raw.backtest.methods.snaive52.vendas.mase);
    expect(v.methods.ttm.mape).toBeCloseTo(raw.backtest.methods.ttm.vendas.mape, 12); // a fraction in the file and the API
    expect(v.coverage[0]).toEqual({ level: 0.9, coverage: raw.backtest.intervals.vendas[0].coverage, mean_width: raw.backtest.intervals.vendas[0].mean_width, n_points: raw.backtest.intervals.vendas[0].n_points });
    expect(v.drift.psi).toBe(raw.drift.vendas.psi);
    expect(v.mape_by_produto).toHaveLength(150);
    expect(v.r2_by_uf.map((x: { uf: string }) => x.uf)).toEqual(['SP', 'GO', 'MG', 'EX', 'RS', 'PR']);
    expect(latest.alerts.map((a: { name: string }) => a.name)).toEqual(raw.alerts.map((a: { name: string }) => a.name.replace(/[A-Z]/g, (c: string) => `_${c.toLowerCase()}`)));
    expect(latest.thresholds).toMatchObject({ mape: 0.2, wape: 0.2, error_rate: 0.05, latency_seconds: 2 });
    expect((await get(`/evaluations/${files[0].replace(/\.json$/, '')}`)).json().origins).toHaveLength(3);
    expect((await get('/evaluations/nope')).statusCode).toBe(404);
  });

  it('serves the page and uPlot from this server, with a same-origin-only content policy', async () => {
    const page = await get('/dashboard', null);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.body).toMatch(/<html lang="pt-BR"/);
    expect(page.body).not.toMatch(/https?:\/\//);
    const js = await get('/dashboard/vendor/uPlot.iife.min.js', null);
    expect(js.statusCode).toBe(200);
    expect(js.body).toMatch(/uPlot/);
    expect((await get('/dashboard/vendor/package.json', null)).statusCode).toBe(404);
    expect((await get('/dashboard/assets/app.js', null)).statusCode).toBe(200);
    for (const url of ['/dashboard/assets/..%2F..%2F..%2Fpackage.json', '/dashboard/assets/index.html.bak', '/dashboard/assets/%2e%2e%2fdeps.ts']) {
      const r = await get(url, null);
      expect(r.statusCode, url).toBe(404);
      expect(r.body).not.toMatch(/"name": "ttm"|DashboardDeps/);
    }
  });
});
