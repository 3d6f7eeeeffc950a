import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { buildVocab, encode, fitPreprocessor, loadWeekly, preprocessorFromJSON, preprocessorToJSON, unscale } from '../../src/data/index.js';
import { tmpFiles, weeklyCsv } from './tmp-csv.js';

const file = tmpFiles();

describe('vocab', () => {
  it('maps codes to contiguous indices in code order', () => {
    const v = buildVocab([{ produto: 9, regiao: 30 }, { produto: 3, regiao: 10 }, { produto: 9, regiao: 10 }]);
    expect(v).toEqual({ regiao: [10, 30], produto: [3, 9] });
    expect(encode(v.regiao, 30, 'uf_cat')).toBe(1);
    expect(() => encode(v.regiao, 20, 'uf_cat')).toThrow(DataError);
  });
});

describe('preprocessor', () => {
  const csv = weeklyCsv([
    { produto: 1, regiao: 5, start: '2024-01-01', vendas: [1, 2, 3, 4, 100, 200] },
    { produto: 2, regiao: 7, start: '2024-01-01', vendas: [10, 10, 10, 10, 10, 10] },
    { produto: 3, regiao: 5, start: '2024-01-29', vendas: [8, 9] },
  ]);

  it('fits mean and std per series and channel on training weeks only', async () => {
    const ds = await loadWeekly(file('a.csv', csv));
    const pre = fitPreprocessor(ds, { trainThrough: 3 });
    expect(pre.fittedThrough).toBe('2024-01-22');
    expect(pre.series.map((s) => [s.produto, s.regiao])).toEqual([[1, 5], [2, 7]]); // series 3 starts after the cutoff
    expect(pre.series[0].mean[0]).toBeCloseTo(2.5);
    expect(pre.series[0].std[0]).toBeCloseTo(Math.sqrt(1.25));
    expect(pre.series[0].mean[1]).toBeCloseTo(5);
    expect(pre.series[1].std[0]).toBe(1); // constant series: std 1, not 0
    expect(pre.fallback.mean[0]).toBeCloseTo((10 + 40) / 8);
    expect(pre.vocab).toEqual({ regiao: [5, 7], produto: [1, 2, 3] });
    const later = fitPreprocessor(await loadWeekly(file('b.csv', csv.replace(',100,', ',999,'))), { trainThrough: 3 });
    expect(later.series).toEqual(pre.series);
  });

  it('round-trips through preprocessor.json exactly', async () => {
    const ds = await loadWeekly(file('c.csv', csv));
    const pre = fitPreprocessor(ds, { trainThrough: 4 });
    const text = preprocessorToJSON(pre);
    const back = preprocessorFromJSON(text);
    expect(back).toEqual(pre);
    expect(preprocessorToJSON(back)).toBe(text);
    expect(Array.from(unscale(back, { produto: 1, regiao: 5 }, 0, [0, 1]))).toEqual([pre.series[0].mean[0], pre.series[0].mean[0] + pre.series[0].std[0]]);
  });

  it('uses identity scaling with scaling "none"', async () => {
    const pre = fitPreprocessor(await loadWeekly(file('d.csv', csv)), { scaling: 'none' });
    expect(Array.from(unscale(pre, { produto: 1, regiao: 5 }, 0, [3]))).toEqual([3]);
  });

  it('rejects a damaged or foreign preprocessor.json naming the file', () => {
    expect(() => preprocessorFromJSON('{', 'm/preprocessor.json')).toThrow(/m\/preprocessor\.json: not valid JSON/);
    expect(() => preprocessorFromJSON('{"format":"x"}')).toThrow(/"format" is not "ttm-preprocessor"/);
  });
});
