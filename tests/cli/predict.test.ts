import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tinyModel, TINY_HORIZON as H } from './cli-model.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
let t: Awaited<ReturnType<typeof tinyModel>>;

describe.skipIf(!built)('ttm predict (built CLI)', () => {
  beforeAll(async () => {
    t = await tinyModel('ttm-cli-predict-');
  }, 120_000);
  afterAll(() => rmSync(t.dir, { recursive: true, force: true }));
  const ttm = (...args: string[]) => runCli(['predict', '--model', t.model, '--data', t.data, ...args]);

  it('prints a table with a chart for one series; status on stderr', () => {
    const r = ttm('--produto', '1', '--regiao', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^produto 1, regiao 2: 8 weeks after \d{4}-\d\d-\d\d, intervals 90%/);
    expect(r.stdout).toMatch(/date\s+vendas\s+lo_90\s+hi_90\s+faturamento\s+lo_90\s+hi_90/);
    expect(r.stdout).toContain('* history, o forecast, : interval');
    expect(r.stderr).toMatch(/^backend: /m);
  });

  it('--json is one JSON document (PredictDocumentSchema) with every bound per requested level', async () => {
    const { PredictDocumentSchema } = await import('../../src/predict/index.js');
    const r = ttm('--produto', '1', '--regiao', '2', '--interval', '0.8,0.95', '--json');
    expect(r.code).toBe(0);
    const doc = PredictDocumentSchema.parse(JSON.parse(r.stdout));
    expect(doc.interval_levels).toEqual([0.8, 0.95]);
    expect(doc.series).toHaveLength(1);
    const s = doc.series[0];
    expect(s.metadata).toMatchObject({ produto_id: 1, regiao_id: 2, horizon: H, interval_levels: [0.8, 0.95] });
    expect(Object.keys(s.predictions)).toEqual(['vendas', 'faturamento']);
    const week = s.predictions.vendas[0];
    expect(Object.keys(week)).toEqual(['date', 'value', 'lower', 'upper', 'intervals']);
    expect(week.intervals!.map((i) => i.level)).toEqual([0.8, 0.95]);
    expect([week.lower, week.upper]).toEqual([week.intervals![0].lower, week.intervals![0].upper]);
    expect(s.predictions.vendas).toHaveLength(H);
    expect(week.intervals![1].lower).toBeLessThanOrEqual(week.intervals![0].lower);
    // the same numbers as the CSV of the same run
    const csv = ttm('--produto', '1', '--regiao', '2', '--interval', '0.8,0.95', '--format', 'csv').stdout.trim().split('\n');
    const row = csv[1].split(',');
    expect(row[0]).toBe(week.date);
    expect(Number(row[3])).toBeCloseTo(week.value, 3);
    expect(Number(row[5])).toBeCloseTo(week.lower!, 3);
  });

  it('--all --out writes one CSV for every series and nothing on stdout; --pairs picks series', () => {
    const out = join(t.dir, 'all.csv');
    const r = ttm('--all', '--out', out, '--horizon', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('date,produto_cat,uf_cat,vendas,faturamento,vendas_lo_90,vendas_hi_90,faturamento_lo_90,faturamento_hi_90');
    expect(lines).toHaveLength(1 + 24 * 3);
    const pairs = join(t.dir, 'pairs.csv');
    writeFileSync(pairs, 'produto_cat,uf_cat\n0,0\n3,5\n');
    const p = ttm('--pairs', pairs);
    expect(p.code).toBe(0);
    const rows = p.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(2 * H);
    expect(rows[H].split(',').slice(1, 3)).toEqual(['3', '5']);
  });

  it('--plot writes an SVG of the series', () => {
    const svg = join(t.dir, 'p.svg');
    expect(ttm('--produto', '0', '--regiao', '1', '--plot', svg).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*produto 0 · vendas[\s\S]*<\/svg>$/);
  });

  it('exits 3 listing what exists for an unknown produto, 2 for bad flags, 4 without a model', () => {
    const r = ttm('--produto', '77', '--regiao', '0');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/produto_cat 77 is not in the data; produtos: 0, 1, 2, 3 \(4 in all\)/);
    expect(r.stderr).toMatch(/hint: choose a produto from the produto_cat column of the data\nhint: pass a --produto value from the produto_cat column/);
    expect(ttm('--produto', '1').code).toBe(2);
    expect(ttm('--produto', '1', '--regiao', '2', '--horizon', String(H + 1)).stderr).toMatch(/forecasts 1 … 8 weeks/);
    expect(ttm('--produto', '1', '--regiao', '2', '--format', 'xml').code).toBe(2);
    const none = runCli(['predict', '--model', join(t.dir, 'nope'), '--data', t.data, '--produto', '1', '--regiao', '2']);
    expect(none.code).toBe(4);
  });
});
