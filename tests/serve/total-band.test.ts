/** The overview's band of totals: scores, conformal quantiles and group sums on cases built so the answer is known by hand. */
import { describe, expect, it } from 'vitest';
import type { WindowRef } from '../../src/data/index.js';
import { inlineDataset } from '../helpers/inline-dataset.js';
import { ALL_SERIES, bandAround, bandQuantiles, groupOriginTotals, minOriginsFor, relativeError, ufGroup, type OriginTotals } from '../../src/serve/dashboard/total-band.js';

/**
 * Origin k = 1…n of a two-week horizon: forecast [40, 60]; actual [40 + 0.4k·s, 60 − 1.2k·s] with
 * s = ±1 alternating. So week 1's relative error is 0.01k, week 2's 0.02k and the total's
 * |0.4k − 1.2k| / 100 = 0.008k.
 */
function origins(n: number): OriginTotals[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    const s = k % 2 ? 1 : -1;
    return { forecast: [40, 60], actual: [40 + 0.4 * k * s, 60 - 1.2 * k * s] };
  });
}

describe('band of a total', () => {
  it('scores the relative error of the total, 0 for an exact zero forecast and Infinity for a missed one', () => {
    expect(relativeError(110, 100)).toBeCloseTo(0.1, 12);
    expect(relativeError(90, 100)).toBeCloseTo(0.1, 12);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(5, 0)).toBe(Infinity);
  });

  it('needs ceil((n + 1)·level) ≤ n origins: 9 for 90%, 4 for 80%, 19 for 95%', () => {
    expect(minOriginsFor(0.9)).toBe(9);
    expect(minOriginsFor(0.8)).toBe(4);
    expect(minOriginsFor(0.95)).toBe(19);
    expect(() => minOriginsFor(1)).toThrow(/between 0 and 1/);
  });

  it('takes the k-th smallest score, k = ceil((n + 1)·level), for the total; for the weeks, of the scores pooled over a step profile', () => {
    // n = 19, 90%: k = ceil(18) = 18, the total's score 0.008k at k = 18
    const q = bandQuantiles(origins(19), 0.9);
    expect(q.origins).toBe(19);
    expect(q.total).toBeCloseTo(0.144, 12);
    // weeks: medians 0.10 and 0.20 give the profile g = 0.1·h^1 = [0.1, 0.2]; the scores over g are
    // 0.1k twice for k = 1…19, n = 38, k = ceil(39 · 0.9) = 36: 1.8; times g: 0.18 and 0.36
    expect(q.weekly[0]).toBeCloseTo(0.18, 12);
    expect(q.weekly[1]).toBeCloseTo(0.36, 12);
    // pooled: with a flat profile (both medians 0.1) one large weekly error of 9 origins sets
    // both weeks' band: the scores over g = 0.1 are seventeen 1s and one 10, k = ceil(19 · 0.9) = 18
    const flat = Array.from({ length: 9 }, (_, i) => ({ forecast: [100, 100], actual: [110, i === 8 ? 200 : 90] }));
    const qf = bandQuantiles(flat, 0.9);
    expect(qf.weekly[0]).toBeCloseTo(1, 12);
    expect(qf.weekly[1]).toBeCloseTo(1, 12);
    expect(qf.total).toBeCloseTo(0.55, 12); // |310 − 200| / 200, the largest total score (the others are 0), k = 9 of 9
    // n = 9 at 90%: k = 9, the largest score; n = 8 is too few (no band)
    expect(bandQuantiles(origins(9), 0.9).total).toBeCloseTo(0.072, 12);
    const few = bandQuantiles(origins(8), 0.9);
    expect(few.total).toBe(Infinity);
    expect(few.weekly).toEqual([Infinity, Infinity]);
    // the order of the origins does not matter
    expect(bandQuantiles(origins(19).reverse(), 0.9).total).toBeCloseTo(0.144, 12);
  });

  it('puts the band at F·(1 ∓ q), clips the lower side at 0, and gives none without a finite q', () => {
    const b = bandAround(1000, 0.144);
    expect(b.lower).toBeCloseTo(856, 9);
    expect(b.upper).toBeCloseTo(1144, 9);
    expect(bandAround(100, 1.5)).toEqual({ lower: 0, upper: 250 });
    expect(bandAround(100, Infinity)).toEqual({ lower: null, upper: null });
    expect(bandAround(100, NaN)).toEqual({ lower: null, upper: null });
  });
});

describe('sums of backtest windows per group and origin', () => {
  it('adds forecasts and the actuals after each origin over the series of each group', () => {
    const ds = inlineDataset([
      { produto: 1, regiao: 0, start: 0, vendas: [1, 2, 3, 4, 5, 6] },
      { produto: 2, regiao: 0, start: 0, vendas: [10, 20, 30, 40, 50, 60] },
      { produto: 1, regiao: 1, start: 2, vendas: [100, 200, 300, 400] }, // calendar weeks 2…5
    ]);
    const H = 2;
    const refs: WindowRef[] = [
      { series: 0, origin: 3 },
      { series: 1, origin: 3 },
      { series: 2, origin: 3 },
      { series: 0, origin: 4 },
      { series: 2, origin: 4 },
    ];
    // forecasts [H', C] row-major with H' = 3 > H: the third step is ignored
    const fc = (v: number) => Float64Array.from([v, 10 * v, v + 1, 10 * (v + 1), 999, 999]);
    const forecasts = [fc(1), fc(2), fc(3), fc(4), fc(5)];
    const totals = groupOriginTotals(ds, refs, forecasts, H, (i) => [ALL_SERIES, ufGroup(ds.series[i].regiao)]);
    expect([...totals.keys()].sort()).toEqual([ALL_SERIES, 'regiao:0', 'regiao:1']);
    const vendas = (g: string) => totals.get(g)![0].map((o) => ({ forecast: Array.from(o.forecast), actual: Array.from(o.actual) }));
    // origin 3: actuals at weeks 3, 4 of each series (series 2 from its own week 1)
    expect(vendas(ALL_SERIES)).toEqual([
      { forecast: [1 + 2 + 3, 2 + 3 + 4], actual: [4 + 40 + 200, 5 + 50 + 300] },
      { forecast: [4 + 5, 5 + 6], actual: [5 + 300, 6 + 400] },
    ]);
    expect(vendas('regiao:0')).toEqual([
      { forecast: [3, 5], actual: [44, 55] },
      { forecast: [4, 5], actual: [5, 6] },
    ]);
    expect(vendas('regiao:1')).toEqual([
      { forecast: [3, 4], actual: [200, 300] },
      { forecast: [5, 6], actual: [300, 400] },
    ]);
    expect(Array.from(totals.get('regiao:1')![1][0].actual)).toEqual([2000, 3000]); // faturamento
    expect(() => groupOriginTotals(ds, [{ series: 0, origin: 5 }], [fc(1)], H, () => [ALL_SERIES])).toThrow(/does not lie inside its series/);
  });
});
