import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../src/data/index.js';
import { BacktestSummarySchema } from '../../src/config/output-schemas.js';
import { runCliAsync as runCli } from '../helpers/run-cli.js';
import { camelKeys } from '../helpers/json-keys.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ttm-cli-backtest-'));
const data = join(dir, 'data.csv');
writeFileSync(data, synthesize({ products: 3, regions: 2, weeks: 70, seed: 5 }).csv);
const tiny = ['--context', '24', '--epochs', '1', '--stride', '4', '--backend', 'wasm'];

describe.skipIf(!built)('ttm backtest (built CLI)', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains a model per cutoff, scores only the weeks after each cutoff, writes rows and a summary', async () => {
    const out = join(dir, 'cv');
    const r = await runCli(['backtest', '--data', data, '--windows', '2', '--step', '4', '--horizon', '6', '--out', out, '--json', ...tiny]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(BacktestSummarySchema.parse(doc).schema_version).toBe(2);
    expect(camelKeys(doc)).toEqual([]);
    expect(doc.models_trained).toBe(2);
    // 70 weeks from 2023-01-02 (the last 2024-04-29): the last cutoff leaves 6 weeks after it, the one before 4 more.
    expect(doc.by_cutoff.map((k: { cutoff: string }) => k.cutoff)).toEqual(['2024-02-19', '2024-03-18']);
    // each model trained through its cutoff and no further
    for (const k of doc.by_cutoff) {
      const meta = JSON.parse(readFileSync(join(k.model, 'forecaster.json'), 'utf8'));
      expect(meta.trained_through).toBe(k.cutoff);
    }
    expect(readdirSync(join(out, 'models')).sort()).toEqual(['cutoff-2024-02-19', 'cutoff-2024-03-18']);
    const rows = readFileSync(join(out, 'rows.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^cutoff,date,step,produto_cat,uf_cat,channel,actual,ttm,ttm_model_only,median13,/);
    expect(rows).toHaveLength(1 + 2 * 6 * 6 * 2); // cutoffs x series x steps x channels
    for (const line of rows.slice(1)) {
      const [cutoff, date] = line.split(',');
      expect(date > cutoff).toBe(true);
    }
    expect(doc.by_step).toHaveLength(6);
    expect(doc.by_series).toHaveLength(6);
    expect(doc.by_cutoff[0].scores.median13.vendas.wape).toBeGreaterThan(0);
  }, 120_000);

  it('--no-refit trains once, at the earliest cutoff; the table names the cutoffs and the 13-week median', async () => {
    const out = join(dir, 'cv1');
    const r = await runCli(['backtest', '--data', data, '--windows', '2', '--step', '4', '--horizon', '6', '--no-refit', '--out', out, ...tiny]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(out, 'models'))).toEqual(['cutoff-2024-02-19']);
    expect(r.stdout).toMatch(/one model trained at the earliest cutoff/);
    expect(r.stdout).toMatch(/cutoff\s+scored weeks\s+series\s+ttm\s+model alone\s+median13/);
    expect(r.stdout).toMatch(/^2024-03-18\s+2024-03-25 … 2024-04-29\s+6\s+\d\.\d{4}/m);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).models_trained).toBe(1);
  }, 120_000);

  it('refuses more cutoffs than the history holds', async () => {
    const r = await runCli(['backtest', '--data', data, '--windows', '9', '--step', '8', '--horizon', '6', '--out', join(dir, 'x'), ...tiny]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/9 cutoff\(s\) 8 weeks apart with horizon 6 need about 82 weeks; the data has 70/);
  });
});
