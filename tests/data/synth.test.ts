import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWeekly, synthesize, validate, writeSynth } from '../../src/data/index.js';
import { tmpFiles } from './tmp-csv.js';

const file = tmpFiles();

function parse(csv: string) {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [date, p, r, v, f] = l.split(',');
      return { date, produto: Number(p), regiao: Number(r), vendas: Number(v), faturamento: Number(f) };
    });
}

describe('synthesize', () => {
  const base = synthesize({ products: 40, weeks: 110, seed: 7 });
  const rows = parse(base.csv);

  it('writes the design columns, products x UFs x weeks rows', () => {
    expect(base.csv.split('\n', 1)[0]).toBe('date,produto_cat,uf_cat,vendas,faturamento');
    expect(base.rows).toBe(40 * 6 * 110);
    expect(rows).toHaveLength(base.rows);
    expect(new Set(rows.map((r) => r.regiao))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(synthesize({ products: 40, weeks: 110, seed: 7 }).csv).toBe(base.csv);
    expect(synthesize({ products: 40, weeks: 110, seed: 8 }).csv).not.toBe(base.csv);
  });

  it('makes SP (uf_cat 0) the largest UF, with intermittent products and a wide spread', () => {
    const byUf = new Array(6).fill(0);
    const byProduct = new Array(40).fill(0);
    let zeros = 0;
    for (const r of rows) {
      byUf[r.regiao] += r.vendas;
      byProduct[r.produto] += r.vendas;
      if (r.vendas === 0) zeros++;
    }
    expect(Math.max(...byUf)).toBe(byUf[0]);
    expect(zeros / rows.length).toBeGreaterThan(0.05);
    const sorted = [...byProduct].sort((a, b) => a - b);
    expect(sorted[35] / Math.max(sorted[4], 1)).toBeGreaterThan(10);
    expect(rows.every((r) => r.vendas >= 0 && (r.vendas === 0) === (r.faturamento === 0))).toBe(true);
  });

  it('lifts Black Friday week above an ordinary November week, and prices rise with inflation', () => {
    const week = (d: string) => rows.filter((r) => r.date === d).reduce((a, r) => a + r.vendas, 0);
    expect(week('2023-11-20')).toBeGreaterThan(1.4 * week('2023-11-06'));
    const price = (d: string) => {
      const rs = rows.filter((r) => r.date === d && r.vendas > 0);
      return rs.reduce((a, r) => a + r.faturamento, 0) / rs.reduce((a, r) => a + r.vendas, 0);
    };
    expect(price('2025-01-06')).toBeGreaterThan(price('2023-01-02'));
  });

  it('passes validation clean and fails it with --flaws', async () => {
    const clean = await loadWeekly(file('clean.csv', base.csv));
    const asOf = clean.firstWeek + 7 * clean.weeks;
    expect(validate(clean, { asOf, context: 52 }).passed).toBe(true);
    const flawed = synthesize({ products: 40, weeks: 110, seed: 7, flaws: true });
    expect(flawed.flaws!.duplicateRows + flawed.flaws!.negativeRows).toBeGreaterThan(0);
    const report = validate(await loadWeekly(file('flawed.csv', flawed.csv)), { asOf, context: 52 });
    expect(report.passed).toBe(false);
    expect(report.rules.filter((r) => !r.passed).map((r) => r.rule)).toEqual(expect.arrayContaining(['consistency', 'duplicates']));
  });

  it('writes the default file atomically in about a second', async () => {
    const t0 = performance.now();
    const out = join(dirname(file('x', '')), 'sub', 'db.csv');
    const r = await writeSynth(out);
    expect(readFileSync(out, 'utf8').length).toBe(r.csv.length);
    expect(readdirSync(dirname(out))).toEqual(['db.csv']);
    expect(r.rows).toBe(150 * 6 * 156);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
