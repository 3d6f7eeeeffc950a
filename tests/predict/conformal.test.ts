import { describe, expect, it } from 'vitest';
import {
  calibrateConformal,
  calibrationFromJSON,
  calibrationToJSON,
  conformalInterval,
  conformalQuantile,
  intervalScale,
  type CalibrationWindow as WindowForecast,
} from '../../src/predict/index.js';
import { coverage } from '../../src/evaluate/index.js';
import { Rng } from '../../src/runtime/rng.js';

/** Windows of a series of level `level` with normal noise growing with the step. */
function synthetic(rng: Rng, n: number, horizon: number): WindowForecast[] {
  return Array.from({ length: n }, () => {
    const level = 1 + 100 * rng.next();
    const history = Array.from({ length: 52 }, () => level + level * 0.1 * rng.normal());
    const forecast = new Array(horizon).fill(level);
    const actual = forecast.map((f, h) => f + level * 0.1 * (1 + h) * rng.normal());
    return { history, actual, forecast };
  });
}

describe('conformal', () => {
  it('takes the finite-sample quantile ceil((n+1)(1-alpha))', () => {
    const cal = { method: 'split-conformal-abs-scaled-by-naive-change' as const, scaleWindow: 52, scores: [[1, 2, 3, 4, 5, 6, 7, 8, 9]] };
    expect(conformalQuantile(cal, 0, 0.5)).toBe(5);
    expect(conformalQuantile(cal, 0, 0.9)).toBe(9);
    expect(conformalQuantile(cal, 0, 0.95)).toBe(Infinity);
    expect(() => conformalQuantile(cal, 1, 0.9)).toThrow(/covers 1 steps/);
    expect(() => conformalQuantile(cal, 0, 90)).toThrow(/not between 0 and 1/);
  });

  it('scales by the mean week-to-week change of the last 52 weeks', () => {
    expect(intervalScale([0, 2, 1, 3])).toBeCloseTo(5 / 3, 12);
    expect(intervalScale([100, 0, 2, 1, 3], 4)).toBeCloseTo(5 / 3, 12);
    expect(intervalScale([4, 4])).toBe(4);
    expect(intervalScale([0, 0])).toBe(1);
  });

  it('covers about the nominal share of exchangeable synthetic points, per step', () => {
    const rng = new Rng(6);
    const cal = calibrateConformal(synthetic(rng, 400, 4));
    const test = synthetic(rng, 2000, 4);
    for (const level of [0.8, 0.9]) {
      for (let h = 0; h < 4; h++) {
        const actual = test.map((w) => w.actual[h]);
        const iv = test.map((w) => conformalInterval(cal, w.forecast, w.history, level, { allowNegative: true }));
        const cov = coverage(actual, iv.map((i) => i.lower[h]), iv.map((i) => i.upper[h]));
        expect(Math.abs(cov - level), `step ${h + 1} level ${level}: coverage ${cov}`).toBeLessThan(0.035);
      }
    }
  });

  it('widens with the step and clips the lower bound at 0', () => {
    const cal = calibrateConformal(synthetic(new Rng(1), 200, 3));
    const { lower, upper } = conformalInterval(cal, [1, 1, 1], [10, 0, 10, 0], 0.9);
    expect(upper[2] - 1).toBeGreaterThan(upper[0] - 1);
    expect([...lower]).toEqual([0, 0, 0]);
  });

  it('counts the share inside the bounds, bounds included', () => {
    expect(coverage([1, 2, 3, 4], [1, 0, 0, 5], [1, 1, 3, 6])).toBe(0.5);
  });

  it('round-trips through JSON and rejects a damaged file', () => {
    const cal = calibrateConformal(synthetic(new Rng(2), 50, 2));
    const back = calibrationFromJSON(JSON.parse(JSON.stringify(calibrationToJSON(cal))), 'cal.json');
    expect(back.scores[1].length).toBe(50);
    for (let i = 0; i < 50; i++) expect(back.scores[1][i]).toBeCloseTo(cal.scores[1][i], 5);
    expect(() => calibrationFromJSON({ ...back, scores: [[2, 1]] }, 'cal.json')).toThrow(/cal.json: .*scores\[0\]\[1\]/);
    expect(() => calibrationFromJSON({ method: 'x' }, 'cal.json')).toThrow(/method "x"/);
  });
});
