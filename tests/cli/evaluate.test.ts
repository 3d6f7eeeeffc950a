import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tinyModel } from './cli-model.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
let t: Awaited<ReturnType<typeof tinyModel>>;

describe.skipIf(!built)('ttm evaluate (built CLI)', () => {
  beforeAll(async () => {
    t = await tinyModel('ttm-cli-evaluate-');
  }, 120_000);
  afterAll(() => rmSync(t.dir, { recursive: true, force: true }));
  const results = () => join(t.dir, 'results');
  const ttm = (...args: string[]) => runCli(['evaluate', '--model', t.model, '--data', t.data, '--results', results(), ...args]);
  const thresholds = (o: object) => {
    const f = join(t.dir, `th-${Object.keys(o).join('-')}.json`);
    writeFileSync(f, JSON.stringify(o));
    return f;
  };

  it('exits 0 when healthy, prints one JSON document and saves it under results/evaluations', () => {
    const off = thresholds({ mape: null, wape: null, psi: null, error_rate: null, latency_seconds: null });
    const r = ttm('--origins', '2', '--thresholds', off, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.healthy).toBe(true);
    expect(doc.backtest.origins).toHaveLength(2);
    expect(Object.keys(doc.backtest.methods)).toEqual(['ttm', 'ttm_model_only', 'snaive52', 'naive', 'mean52']);
    expect(doc.backtest.intervals.vendas[0].level).toBe(0.9);
    expect(doc.drift.vendas).toHaveProperty('psi');
    expect(doc.saved).toMatch(/evaluations/);
    expect(JSON.parse(readFileSync(doc.saved, 'utf8')).format).toBe('ttm-evaluation');
  });

  it('exits 7 when an alert fires and names it in the table', () => {
    const r = ttm('--thresholds', thresholds({ wape: 0 }), '--no-save');
    expect(r.code).toBe(7);
    expect(r.stdout).toMatch(/method\s+MAE\s+RMSE\s+WAPE/);
    expect(r.stdout).toMatch(/snaive52/);
    expect(r.stdout).toMatch(/ALERTS \(\d+\):/);
    expect(r.stdout).toMatch(/^ {2}- WAPE of vendas is .*%, above the 0\.0% threshold$/m);
    expect(r.stdout).toMatch(/interval covers/);
  });

  it('writes an SVG or HTML report', () => {
    const svg = join(t.dir, 'r.svg');
    const html = join(t.dir, 'r.html');
    const off = thresholds({ mape: null, wape: null });
    expect(ttm('--thresholds', off, '--report', svg, '--no-save').code).not.toBe(1);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*regiao 5[\s\S]*<\/svg>$/);
    expect(ttm('--thresholds', off, '--report', html, '--no-save').code).not.toBe(1);
    expect(readFileSync(html, 'utf8')).toMatch(/<html>[\s\S]*<h2>faturamento<\/h2>[\s\S]*<svg/);
    expect(readdirSync(join(results(), 'evaluations'))).toHaveLength(1);
  });

  it('exits 2 for a bad thresholds file or report name', () => {
    const r = ttm('--thresholds', thresholds({ mape: -1 }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid thresholds: mape/);
    expect(ttm('--report', 'x.txt').code).toBe(2);
  });
});
