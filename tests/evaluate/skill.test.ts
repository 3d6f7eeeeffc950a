import { describe, expect, it } from 'vitest';
import { skill, skillTable } from '../../src/evaluate/index.js';

const m = (x: number) => ({ mae: x, rmse: x, wape: x, smape: x, mape: x, mase: x });

describe('skill', () => {
  it('is 1 - model / baseline per metric', () => {
    expect(skill(m(0.8), m(1)).mae).toBeCloseTo(0.2, 12);
    expect(skill(m(1.5), m(1)).wape).toBeCloseTo(-0.5, 12);
    expect(skill(m(1), m(0)).mase).toBeNaN();
  });

  it('compares with each named baseline', () => {
    const t = skillTable(m(1), { snaive52: m(2), naive: m(1) });
    expect(Object.keys(t)).toEqual(['snaive52', 'naive']);
    expect(t.snaive52.rmse).toBeCloseTo(0.5, 12);
    expect(t.naive.rmse).toBe(0);
  });
});
