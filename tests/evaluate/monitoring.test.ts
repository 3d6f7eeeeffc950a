import { describe, expect, it } from 'vitest';
import { mapeByProduto, r2, r2ByRegiao, rollingMae, type ForecastPoint } from '../../src/evaluate/index.js';

const pt = (date: string, produto: number, regiao: string, actual: number, forecast: number): ForecastPoint => ({
  date,
  produto,
  regiao,
  actual,
  forecast,
});

describe('monitoring', () => {
  const weeks = ['2024-01-04', '2024-01-11', '2024-01-18', '2024-01-25', '2024-02-01'];
  const points = weeks.flatMap((d, i) => [pt(d, 10, 'SP', 10, 10 + i), pt(d, 2, 'RJ', 0, 1)]);

  it('takes the rolling MAE over the last 4 weeks at each date', () => {
    const rolling = rollingMae(points);
    expect(rolling.map((r) => r.date)).toEqual(weeks);
    expect(rolling[0]).toEqual({ date: weeks[0], mae: 0.5, nPoints: 2 });
    // last date: weeks 2..5, SP errors 1,2,3,4 and RJ errors 1,1,1,1
    expect(rolling[4]).toEqual({ date: weeks[4], mae: 14 / 8, nPoints: 8 });
  });

  it('counts calendar weeks, not rows, when a week is missing', () => {
    const gap = [pt('2024-01-04', 1, 'SP', 0, 8), pt('2024-02-01', 1, 'SP', 0, 2)];
    expect(rollingMae(gap).at(-1)).toEqual({ date: '2024-02-01', mae: 2, nPoints: 1 });
  });

  it('gives MAPE per produto in numeric order, NaN for a produto without sales', () => {
    const m = mapeByProduto(points);
    expect(m.map((r) => r.produto)).toEqual([2, 10]);
    expect(m[0].mape).toBeNaN();
    expect(m[1].mape).toBeCloseTo((0 + 1 + 2 + 3 + 4) / 10 / 5, 12);
  });

  it('gives R2 per regiao', () => {
    const rows = [pt('2024-01-04', 1, 'MG', 1, 1), pt('2024-01-11', 1, 'MG', 3, 2), pt('2024-01-04', 1, 'BA', 2, 2)];
    const res = r2ByRegiao(rows);
    expect(res.map((r) => r.regiao)).toEqual(['BA', 'MG']);
    expect(res[0].r2).toBeNaN(); // one point: no variance to explain
    expect(res[1].r2).toBeCloseTo(1 - 1 / 2, 12);
    expect(r2([1, 2, 3], [1, 2, 3])).toBe(1);
  });
});
