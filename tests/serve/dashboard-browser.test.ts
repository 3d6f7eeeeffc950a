/**
 * The dashboard in Debian's chromium (playwright-core, never a downloaded browser): sign-in, each
 * page's figures against the API's numbers, roles, keyboard order and labels, screenshots under
 * test-artifacts/dashboard/, and the first paint and series switch times (printed, not asserted).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/run-cli.js';
import { dashboardFixture, type DashboardFixture } from './dashboard-fixture.js';
import { CHROMIUM, launchChromium, startServe, type ServeProcess } from './dashboard-server.js';

const ARTIFACTS = join(REPO, 'test-artifacts', 'dashboard');
let READONLY: string;
let BUSINESS: string;
let SCIENTIST: string;

// What a pt-BR reader sees, formatted here independently of the page's code.
const units = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 });
const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL', maximumFractionDigits: 0, minimumFractionDigits: 0 });
const pct1 = new Intl.NumberFormat('pt-BR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const shown = (x: number, channel: string) => (channel === 'faturamento' ? brl : units).format(x);
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let fx: DashboardFixture;
let srv: ServeProcess;
let jwks: Server;
let signingKey: CryptoKey;
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'api://ttm';
const token = (roles: string[]) =>
  new SignJWT({ roles }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('maria').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(signingKey);
let base: string;
let ctx: BrowserContext;
let profile: string;

async function api(path: string, key = READONLY, init: RequestInit = {}) {
  const r = await fetch(base + path, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${key}` } });
  return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
}

async function signIn(page: Page, key: string) {
  await page.goto(`${base}/dashboard`);
  await page.getByLabel('Chave de API ou token').fill(key);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

const built = existsSync(join(REPO, 'dist/cli/main.js'));
if (!existsSync(CHROMIUM)) console.log(`dashboard browser test skipped: ${CHROMIUM} is missing (scripts/install-test-packages.sh installs Debian's chromium)`);

describe.skipIf(!existsSync(CHROMIUM) || !built)('dashboard in chromium (ttm serve as a process)', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fx = await dashboardFixture();
    // a local OIDC provider's key set, so the page's sign-in is tried with tokens as well as keys
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    srv = await startServe(fx, { issuer: ISSUER, audience: AUDIENCE, jwks_uri: jwksUri, roles_claim: 'roles' });
    base = srv.base;
    ({ readonly: READONLY, business_user: BUSINESS, data_scientist: SCIENTIST } = srv.keys);
    profile = mkdtempSync(join(tmpdir(), 'ttm-chromium-'));
    ctx = await launchChromium(profile, { acceptDownloads: true });
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
    await srv?.stop();
    jwks?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (fx) rmSync(fx.dir, { recursive: true, force: true });
  });

  it('without a credential shows only the sign-in form, and the data endpoints answer 401', async () => {
    const page = await ctx.newPage();
    await page.goto(`${base}/dashboard#/visao-geral`);
    await expect.poll(() => page.getByLabel('Chave de API ou token').isVisible()).toBe(true);
    expect(await page.locator('[data-testid]').count()).toBe(0);
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    const status = await page.evaluate(async () => Promise.all(['/overview', '/series', '/evaluations/latest'].map(async (p) => (await fetch(p)).status)));
    expect(status).toEqual([401, 401, 401]);
    await page.getByLabel('Chave de API ou token').fill('ttm_not_a_key');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/não aceito/);
    await signIn(page, SCIENTIST);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/não tem permissão para ver os painéis/);
    expect(await page.locator('[data-testid]').count()).toBe(0);
    await shot(page, '0-entrar-sem-permissao');
    await page.close();
  });

  it('overview: the totals, band, last year and per-UF figures are the API numbers in pt-BR', async () => {
    const page = await ctx.newPage();
    await signIn(page, BUSINESS);
    await page.waitForSelector('body[data-pronta="visao-geral"]');
    const cold = await page.evaluate(() => performance.getEntriesByName('ttm:pronta:visao-geral')[0]?.startTime ?? NaN);
    console.log(`dashboard overview ready on a fresh server (sign-in, then the 900 forecasts computed on this request): ${cold.toFixed(0)} ms after navigation`);
    // The band's backtest starts with the first /overview and runs in the background: meanwhile
    // the page shows the totals and says the interval is being computed (never a made-up one).
    const estado = page.getByTestId('faixa-estado');
    if ((await estado.getAttribute('data-estado')) === 'computing') {
      for (const ch of ['vendas', 'faturamento']) expect(norm(await page.getByTestId(`total-${ch}-intervalo`).textContent())).toBe('calculando intervalo…');
      expect(await page.locator('.uplot').count()).toBe(2);
      await shot(page, '1-visao-geral-calculando');
    }
    const t0 = Date.now();
    await page.waitForSelector('[data-testid="faixa-estado"][data-estado="ready"]', { timeout: 120_000 });
    console.log(`dashboard overview band shown ${((Date.now() - t0) / 1000).toFixed(1)} s after the first paint (the page asks again every 2 s)`);
    const o = (await api('/overview', BUSINESS)).body;
    expect(o.band.state).toBe('ready');
    expect(norm(await estado.textContent())).toMatch(/erros relativos do modelo nesse mesmo total em 26 previsões de semanas passadas/);
    expect(norm(await estado.textContent())).toMatch(/O modelo foi treinado com essas semanas/); // held_out_share 0: the caveat is shown
    for (const ch of ['vendas', 'faturamento']) {
      const t = o.channels[ch].total;
      expect(t.lower).toBeLessThan(t.forecast);
      expect(t.upper).toBeGreaterThan(t.forecast);
      expect(norm(await page.getByTestId(`total-${ch}-previsao`).textContent())).toBe(norm(shown(t.forecast, ch)));
      expect(norm(await page.getByTestId(`total-${ch}-intervalo`).textContent())).toBe(norm(`${shown(t.lower, ch)} a ${shown(t.upper, ch)}`));
      expect(norm(await page.getByTestId(`total-${ch}-ano-anterior`).textContent())).toBe(norm(shown(t.last_year, ch)));
      const change = norm(await page.getByTestId(`total-${ch}-variacao`).textContent());
      expect(change).toBe(t.change > 0 ? `▲ ${norm(pct1.format(t.change))} acima` : `▼ ${norm(pct1.format(-t.change))} abaixo`);
      const rows = await page.getByTestId(`uf-${ch}`).locator('tbody tr').all();
      expect(rows).toHaveLength(6);
      for (const [k, u] of o.channels[ch].by_uf.entries()) {
        expect(u.lower).toBeLessThan(u.forecast);
        expect(u.upper).toBeGreaterThan(u.forecast);
        const cells = (await rows[k].locator('th, td').allTextContents()).map(norm);
        expect(cells.slice(0, 4)).toEqual([u.uf, shown(u.forecast, ch), `${shown(u.lower, ch)} a ${shown(u.upper, ch)}`, shown(u.last_year, ch)].map(norm));
      }
    }
    expect(await page.getByTestId('modelo-versao').textContent()).toBe(o.model.version);
    expect(await page.getByTestId('series-previstas').textContent()).toBe('900');
    expect(await page.locator('.uplot').count()).toBe(2);
    await shot(page, '1-visao-geral');
    await page.close();
  }, 180_000);

  it('series explorer: search, keyboard selection, figures, zoom, CSV, and the switch time', async () => {
    const page = await ctx.newPage();
    await signIn(page, READONLY);
    await page.waitForSelector('body[data-pronta="visao-geral"]');
    await page.getByRole('link', { name: 'Explorar séries' }).click();
    await page.waitForSelector('[data-serie-desenhada="0:0"]');
    expect(await page.locator('#lista-series option').count()).toBe(900);
    await page.getByLabel('Buscar série').fill('17 rs');
    expect(await page.locator('#lista-series option').allTextContents()).toEqual(['Produto 17 · RS']);
    await page.getByLabel('Buscar série').press('Enter');
    await page.waitForSelector('[data-serie-desenhada="17:4"]');
    const s = (await api('/series/17/4')).body;
    const rows = await page.getByTestId('tabela-previsao').locator('tbody tr').all();
    expect(rows).toHaveLength(26);
    const first = (await rows[0].locator('th, td').allTextContents()).map(norm);
    const [y, m, d] = s.forecast.dates[0].split('-');
    const v = s.forecast.channels.vendas;
    expect(first).toEqual([`${d}/${m}/${y}`, shown(v.value[0], 'vendas'), shown(v.lower[0], 'vendas'), shown(v.upper[0], 'vendas')].map(norm));
    expect(await page.getByRole('img', { name: /Vendas \(unidades\): produto 17, RS/ }).count()).toBe(1);
    // channel switch by keyboard: arrow keys move within the radio group
    await page.getByRole('radio', { name: 'Vendas' }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('#tabela-previsao caption').textContent()).toMatch(/Faturamento/);
    const f1 = norm(await rows[0].locator('td').first().textContent());
    expect(f1).toBe(norm(shown(s.forecast.channels.faturamento.value[0], 'faturamento')));
    // zoom by button (the keyboard path) changes the x range
    const range = () => page.evaluate(() => document.querySelector('#grafico-serie .u-over')?.getBoundingClientRect().width);
    expect(await range()).toBeGreaterThan(0);
    await page.getByRole('button', { name: /Aproximar/ }).click();
    await shot(page, '2-series-zoom');
    await page.getByRole('button', { name: 'Ver tudo' }).click();
    // CSV download
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Baixar previsão (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('previsao-produto-17-uf-RS.csv');
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(27);
    expect(csv[0]).toMatch(/^date,produto_cat,uf_cat,vendas,faturamento/);
    // series switch: pick series from the list as a user does, time from the change to the next frame
    await page.getByLabel('Buscar série').fill('');
    const keys = ['3:0', '42:1', '77:2', '101:3', '120:4', '149:5', '8:1', '64:2', '90:3', '133:0', '5:5', '111:2'];
    for (const k of keys) {
      await page.locator('#lista-series').selectOption(k);
      await page.waitForSelector(`[data-serie-desenhada="${k}"]`);
    }
    const switches = (await page.evaluate(() => (window as unknown as { ttmMedidas: { trocas: { serie: string; ms: number }[] } }).ttmMedidas.trocas)).slice(-keys.length).map((x) => x.ms);
    console.log(`dashboard series switch (ms, ${switches.length} switches): median ${median(switches).toFixed(1)}, min ${Math.min(...switches).toFixed(1)}, max ${Math.max(...switches).toFixed(1)}`);
    await shot(page, '2-series');
    await page.close();
  });

  it('model health: the latest report and the trend, with the API numbers', async () => {
    const page = await ctx.newPage();
    await signIn(page, READONLY);
    await page.waitForSelector('body[data-pronta="visao-geral"]');
    await page.getByRole('link', { name: 'Saúde do modelo' }).click();
    await page.waitForSelector('body[data-pronta="saude"]');
    const e = (await api('/evaluations/latest')).body;
    const list = (await api('/evaluations')).body;
    expect(norm(await page.getByTestId('situacao').textContent())).toBe(e.healthy ? '✓ Saudável: nenhum alerta' : `⚠ ${e.alerts.length} alertas disparados`);
    expect(await page.getByTestId('alertas').locator('li').count()).toBe(e.alerts.length);
    for (const ch of ['vendas', 'faturamento']) {
      const table = page.getByTestId(`metodos-${ch}`);
      for (const m of ['ttm', 'snaive52', 'naive', 'mean52']) {
        const cells = (await table.locator(`tr[data-metodo="${m}"] td`).allTextContents()).map((c) => norm(c.replace('(melhor)', '')));
        const x = e.channels[ch].methods[m];
        expect(cells.slice(0, 2)).toEqual([pct1.format(x.wape), pct1.format(x.mape)].map(norm));
      }
      expect(norm(await page.getByTestId(`cobertura-${ch}`).textContent())).toMatch(new RegExp(`^${norm(pct1.format(e.channels[ch].coverage[0].coverage))} das semanas`));
      expect(await page.getByTestId(`r2-${ch}`).locator('tbody tr').count()).toBe(6);
      expect(await page.getByTestId(`mape-produto-${ch}`).locator('tbody tr').count()).toBe(10);
      expect(await page.getByTestId(`mape-todos-${ch}`).locator('tbody tr').count()).toBe(150);
    }
    expect(await page.getByTestId('tendencia').locator('tbody tr').count()).toBe(list.evaluations.length);
    expect(await page.locator('#grafico-tendencia .uplot').count()).toBe(1);
    await shot(page, '3-saude');
    await page.close();
  });

  it('keyboard: the focus order follows the page, controls have labels, the charts have text', async () => {
    const page = await ctx.newPage();
    await page.addInitScript((k) => sessionStorage.setItem('ttm.credencial', k), READONLY);
    await page.goto(`${base}/dashboard#/series`);
    await page.waitForSelector('[data-serie-desenhada]');
    const focusName = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        return (el.getAttribute('aria-label') ?? label ?? el.closest('label')?.textContent ?? el.textContent ?? '').trim();
      });
    const order: string[] = [];
    for (let i = 0; i < 11; i++) {
      await page.keyboard.press('Tab');
      order.push(await focusName());
    }
    expect(order).toEqual([
      'Pular para o conteúdo',
      'Visão geral',
      'Explorar séries',
      'Saúde do modelo',
      'Sair',
      'Buscar série',
      'Séries',
      'Vendas',
      'Aproximar: últimas 52 semanas e previsão',
      'Ver tudo',
      'Baixar previsão (CSV)',
    ]);
    expect(await page.getByRole('navigation', { name: 'Páginas do painel' }).getByRole('link', { name: 'Explorar séries' }).getAttribute('aria-current')).toBe('page');
    // the list is operable with arrow keys alone
    await page.getByLabel('Séries').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('[data-serie-desenhada="0:1"]');
    expect(await page.getByRole('img', { name: /produto 0, GO/ }).count()).toBe(1);
    // following a nav link by keyboard moves focus to the new page's heading
    await page.getByRole('link', { name: 'Saúde do modelo' }).press('Enter');
    await page.waitForSelector('body[data-pronta="saude"]');
    expect(await page.evaluate(() => document.activeElement?.tagName + ':' + document.activeElement?.textContent)).toBe('H1:Saúde do modelo');
    await page.close();
  });

  it('signs in with an OIDC token as well: readonly role in, data_scientist role refused', async () => {
    const page = await ctx.newPage();
    await signIn(page, await token(['data_scientist']));
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/não tem permissão/);
    await page.getByLabel('Chave de API ou token').fill(await token(['readonly']));
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForSelector('body[data-pronta="visao-geral"]');
    expect(await page.getByTestId('series-previstas').textContent()).toBe('900');
    // Sair forgets the credential: the next visit asks again
    await page.getByRole('button', { name: 'Sair' }).click();
    expect(await page.evaluate(() => sessionStorage.getItem('ttm.credencial'))).toBeNull();
    await page.reload();
    await expect.poll(() => page.getByLabel('Chave de API ou token').isVisible()).toBe(true);
    await page.close();
  });

  it('a readonly user sees the dashboard but cannot call /predict', async () => {
    expect((await api('/overview', READONLY)).status).toBe(200);
    const r = await api('/predict', READONLY, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ produto_id: 1, regiao_id: 0, horizon: 4, confidence_interval: true }) });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('forbidden');
  });

  it('first paint of the explorer with 900 series (printed, not asserted)', async () => {
    const runs: { fcp: number; ready: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await ctx.newPage();
      await page.addInitScript((k) => sessionStorage.setItem('ttm.credencial', k), READONLY);
      await page.goto(`${base}/dashboard#/series`);
      await page.waitForSelector('[data-serie-desenhada]');
      runs.push(
        await page.evaluate(() => ({
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
          ready: performance.getEntriesByName('ttm:pronta:series')[0]?.startTime ?? NaN,
        })),
      );
      await page.close();
    }
    const fcp = runs.map((r) => r.fcp);
    const ready = runs.map((r) => r.ready);
    console.log(`dashboard first contentful paint (ms, ${runs.length} loads): median ${median(fcp).toFixed(0)}, range ${Math.min(...fcp).toFixed(0)}-${Math.max(...fcp).toFixed(0)}`);
    console.log(`dashboard explorer ready with 900 series and the first chart (ms): median ${median(ready).toFixed(0)}, range ${Math.min(...ready).toFixed(0)}-${Math.max(...ready).toFixed(0)}`);
    expect(fcp.every(Number.isFinite)).toBe(true);
  });
});
