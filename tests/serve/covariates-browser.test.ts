/**
 * `ttm serve --future FILE` as a process with a model trained with covariates: key-based
 * requests take the file's values, a request's own `future` is answered over HTTP, and the
 * dashboard's overview in chromium says which series it left out and why.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/run-cli.js';
import { covariateFixture, FORECAST_WEEKS, plan, type CovariateFixture } from './covariate-fixture.js';
import { CHROMIUM, launchChromium, startServe, type ServeProcess } from './dashboard-server.js';

const ARTIFACTS = join(REPO, 'test-artifacts', 'dashboard');
const built = existsSync(join(REPO, 'dist/cli/main.js'));

let fx: CovariateFixture;
let srv: ServeProcess;
let ctx: BrowserContext;
let profile: string;

describe.skipIf(!existsSync(CHROMIUM) || !built)('ttm serve --future FILE (a process) and the dashboard in chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fx = await covariateFixture('ttm-cov-browser-');
    srv = await startServe(fx, undefined, ['--future', fx.future.partial]);
    profile = mkdtempSync(join(tmpdir(), 'ttm-chromium-cov-'));
    ctx = await launchChromium(profile);
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
    await srv?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (fx) rmSync(fx.dir, { recursive: true, force: true });
  });

  const predict = async (body: unknown) => {
    const r = await fetch(`${srv.base}/predict`, { method: 'POST', headers: { authorization: `Bearer ${srv.keys.business_user}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  };

  it('answers key-based requests from the file, and a series the file lacks with a 422 until the request sends its weeks', async () => {
    const byFile = await predict({ produto_id: 2, regiao_id: 1 });
    expect(byFile.status).toBe(200);
    expect(byFile.body.predictions.vendas.map((w: { date: string }) => w.date)).toEqual(FORECAST_WEEKS);
    const lacking = await predict({ produto_id: 4, regiao_id: 1 });
    expect(lacking.status).toBe(422);
    expect(lacking.body.message).toBe(`future values of price, base_price, feature are missing for produto 4 regiao 1: all 4 weeks ${FORECAST_WEEKS[0]} … ${FORECAST_WEEKS[3]}`);
    expect((await predict({ produto_id: 4, regiao_id: 1, future: plan(4, 1) })).status).toBe(200);
  });

  it('the overview page counts the series it forecast and lists the one it left out, with the reason', async () => {
    const page = await ctx.newPage();
    await page.goto(`${srv.base}/dashboard`);
    await page.getByLabel('Chave de API ou token').fill(srv.keys.readonly);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForSelector('body[data-pronta="visao-geral"]');
    expect(await page.getByTestId('series-previstas').textContent()).toBe('7 (1 deixadas de fora)');
    const details = page.getByTestId('series-deixadas');
    expect((await details.locator('summary').textContent())?.trim()).toBe('Séries deixadas de fora (1)');
    await details.locator('summary').click();
    expect((await details.locator('li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      `produto 4, região 1: future values of price, base_price, feature are missing for produto 4 regiao 1: all 4 weeks ${FORECAST_WEEKS[0]} … ${FORECAST_WEEKS[3]}`,
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'covariaveis-visao-geral.png'), fullPage: true });
    await page.close();
  });
});
