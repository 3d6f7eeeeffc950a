import { describe, expect, it } from 'vitest';
import {
  calibrateConformal,
  calibrationFromJSON,
  calibrationToJSON,
  conformalInterval,
  conformalQuantile,
  CONFORMAL_METHOD,
  intervalScale,
  stepProfile,
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

  it('fits a smooth, non-decreasing step profile through the steps\' median scores', () => {
    expect(stepProfile([[1], [2], [3], [4]]).map((x) => Number(x.toFixed(9)))).toEqual([1, 2, 3, 4]);
    expect(stepProfile([[4], [2], [1]])).toEqual([2, 2, 2].map((x) => expect.closeTo(x, 9))); // falling medians: beta clamped to 0, the geometric mean
    expect(stepProfile([[0, 0], [0, 0]])).toEqual([1, 1]);
  });

  it('a spike in one calibration week does not widen one step of every later forecast', () => {
    // 300 exchangeable windows of 8 steps; every window is hit by a holiday at step 5 (a calendar
    // spike landing on the same step from one origin).
    const windows = synthetic(new Rng(4), 300, 8).map((w) => ({ ...w, actual: Array.from(w.actual, (a, h) => (h === 4 ? a * 3 : a)) }));
    const pooled = calibrateConformal(windows);
    const perStep = calibrateConformal(windows, 52, 'per-step');
    const width = (cal: typeof pooled) => Array.from({ length: 8 }, (_, h) => conformalQuantile(cal, h, 0.8));
    const jump = (w: number[]) => w[4] / ((w[3] + w[5]) / 2);
    expect(jump(width(perStep))).toBeGreaterThan(3);
    expect(jump(width(pooled))).toBeLessThan(1.05);
    const w = width(pooled);
    for (let h = 1; h < 8; h++) expect(w[h]).toBeGreaterThanOrEqual(w[h - 1]);
  });

  it('counts the share inside the bounds, bounds included', () => {
    expect(coverage([1, 2, 3, 4], [1, 0, 0, 5], [1, 1, 3, 6])).toBe(0.5);
  });

  it('round-trips through JSON and rejects a damaged file', () => {
    const cal = calibrateConformal(synthetic(new Rng(2), 50, 2));
    const back = calibrationFromJSON(JSON.parse(JSON.stringify(calibrationToJSON(cal))), 'cal.json');
    expect(back.method).toBe(CONFORMAL_METHOD);
    expect(back.scores[0].length).toBe(100); // 50 windows x 2 steps, pooled
    for (let i = 0; i < 100; i++) expect(back.scores[0][i]).toBeCloseTo(cal.scores[0][i], 5);
    for (const level of [0.8, 0.9]) for (const h of [0, 1]) expect(conformalQuantile(back, h, level)).toBeCloseTo(conformalQuantile(cal, h, level), 5);
    expect(() => calibrationFromJSON({ ...back, scores: [[2, 1]] }, 'cal.json')).toThrow(/cal.json: .*scores\[0\]\[1\]/);
    const old = calibrateConformal(synthetic(new Rng(2), 50, 2), 52, 'per-step');
    expect(calibrationFromJSON(JSON.parse(JSON.stringify(calibrationToJSON(old))))).toEqual(calibrationToJSON(old));
    expect(() => calibrationFromJSON({ method: 'x' }, 'cal.json')).toThrow(/method "x"/);
  });
});
