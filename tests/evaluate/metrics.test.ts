import { describe, expect, it } from 'vitest';
import { bias, mae, mape, mase, maseScale, metricSet, rmse, smape, wape } from '../../src/evaluate/index.js';

const y = [1, 0, 3, 4];
const f = [2, 0, 1, 4];

describe('metrics', () => {
  it('computes the pooled point metrics by hand', () => {
    expect(mae(y, f)).toBeCloseTo(3 / 4, 12);
    expect(rmse(y, f)).toBeCloseTo(Math.sqrt(5 / 4), 12);
    expect(wape(y, f)).toBeCloseTo(3 / 8, 12);
    expect(bias(y, f)).toBeCloseTo(-1 / 4, 12);
  });

  it('counts 0/0 as 0 in sMAPE and skips y = 0 in MAPE', () => {
    expect(smape(y, f)).toBeCloseTo((2 / 3 + 0 + 1 + 0) / 4, 12);
    expect(mape(y, f)).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
  });

  it('returns NaN where there is nothing to average', () => {
    expect(mape([0, 0], [1, 1])).toBeNaN();
    expect(wape([0, 0], [1, 1])).toBeNaN();
  });

  it('accepts typed arrays', () => {
    expect(mae(Float64Array.from(y), Float32Array.from(f))).toBeCloseTo(0.75, 12);
  });

  it('throws on a length mismatch', () => {
    expect(() => mae([1, 2], [1])).toThrow(/2 points, forecast 1/);
  });
});

describe('maseScale', () => {
  const seasonal = Array.from({ length: 60 }, (_, t) => (t % 52) + (t >= 52 ? 2 : 0));

  it('uses the lag-52 naive MAE when the history has 53 weeks or more', () => {
    expect(maseScale(seasonal)).toEqual({ scale: 2, lag: 52 });
  });

  it('falls back to lag 1 when the history is short', () => {
    expect(maseScale([1, 3, 2])).toEqual({ scale: 1.5, lag: 1 });
  });

  it('falls back to lag 1 when the lag-52 scale is 0', () => {
    const periodic = Array.from({ length: 104 }, (_, t) => t % 52);
    expect(maseScale(periodic).lag).toBe(1);
    expect(maseScale(periodic).scale).toBeCloseTo((102 * 1 + 51) / 103, 12);
  });

  it('gives 0 for a constant series', () => {
    expect(maseScale([5, 5, 5]).scale).toBe(0);
  });
});

describe('mase and metricSet', () => {
  const windows = [
    { history: [1, 3, 2], actual: [2, 2], forecast: [3, 1] }, // scale 1.5, MAE 1
    { history: [4, 4, 4], actual: [1, 1], forecast: [1, 1] }, // scale 0: left out
    { history: [0, 2, 0], actual: [1, 3], forecast: [1, 1] }, // scale 2, MAE 1
  ];

  it('averages MAE_i / scale_i over series with a nonzero scale', () => {
    expect(mase(windows)).toBeCloseTo((1 / 1.5 + 1 / 2) / 2, 12);
  });

  it('pools the points of every window', () => {
    const m = metricSet(windows);
    expect(m.nPoints).toBe(6);
    expect(m.nPointsPositive).toBe(6);
    expect(m.nSeriesMase).toBe(2);
    expect(m.mae).toBeCloseTo(4 / 6, 12);
    expect(m.wape).toBeCloseTo(4 / 10, 12);
  });
});
