import { describe, expect, it } from 'vitest';
import { cvRows, cvRowsCsv, summarizeCv, type CvCutoff } from '../../src/evaluate/index.js';

const f = (...x: number[]) => Float64Array.from(x);
// One channel; two cutoffs of two weeks; one series, its history flat at 10 (the 13-week median is 10).
const history = f(...Array(20).fill(10));
const cutoffs: CvCutoff[] = [
  { cutoff: '2024-01-01', dates: ['2024-01-08', '2024-01-15'], model: 'm1', calibration: [], windows: [{ produto: 1, regiao: 2, history: [history], actual: [f(10, 20)], ttm: [f(12, 18)], ttmModelOnly: [f(10, 10)] }] },
  { cutoff: '2024-01-15', dates: ['2024-01-22', '2024-01-29'], model: 'm2', calibration: [], windows: [{ produto: 1, regiao: 2, history: [f(...history, 10, 20)], actual: [f(30, 10)], ttm: [f(20, 10)], ttmModelOnly: [f(30, 10)] }] },
];

describe('cross-validation scoring', () => {
  it('scores each cutoff on its own weeks, per step and overall, beside the 13-week median', () => {
    const s = summarizeCv(cutoffs, ['vendas'], 0.9);
    // cutoff 1: |12-10| + |18-20| = 4 over 30; cutoff 2: |20-30| = 10 over 40.
    expect(s.by_cutoff.map((k) => k.scores.ttm.vendas.wape)).toEqual([4 / 30, 10 / 40]);
    // the 13-week median of the history before each cutoff is 10 both times.
    expect(s.by_cutoff.map((k) => k.scores.median13.vendas.wape)).toEqual([10 / 30, 20 / 40]);
    expect(s.by_cutoff[1].scores.ttm_model_only.vendas.wape).toBe(0);
    expect(s.overall.ttm.vendas.wape).toBeCloseTo(14 / 70, 12);
    // step 1 pools weeks 1 of both cutoffs: |12-10| + |20-30| over 10 + 30.
    expect(s.by_step[0].wape.ttm.vendas).toBeCloseTo(12 / 40, 12);
    expect(s.by_step[1].wape.ttm.vendas).toBeCloseTo(2 / 30, 12);
    expect(s.by_series).toEqual([{ produto: 1, regiao: 2, wape: expect.objectContaining({ ttm: { vendas: 14 / 70 } }) }]);
  });

  it('gives one long row per cutoff x series x step x channel, as CSV for a notebook', () => {
    const rows = cvRows(cutoffs, ['vendas'], 0.9);
    expect(rows).toHaveLength(4);
    expect(rows[2]).toMatchObject({ cutoff: '2024-01-15', date: '2024-01-22', step: 1, produto_cat: 1, uf_cat: 2, channel: 'vendas', actual: 30, forecasts: { ttm: 20, median13: 10 } });
    const csv = cvRowsCsv(rows, 0.9).trim().split('\n');
    expect(csv[0]).toBe('cutoff,date,step,produto_cat,uf_cat,channel,actual,ttm,ttm_model_only,median13,naive,snaive52,mean52,ttm_lo_90,ttm_hi_90');
    // snaive52 needs 52 weeks of history (blank); mean52 = (21 x 10 + 20) / 22.
    expect(csv[3]).toBe('2024-01-15,2024-01-22,1,1,2,vendas,30,20,30,10,20,,10.4545,,');
    expect(summarizeCv(cutoffs, ['vendas'], 0.9).overall.snaive52.vendas.n_points).toBe(0);
  });
});
