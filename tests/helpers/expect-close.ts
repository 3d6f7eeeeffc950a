import { expect } from 'vitest';

export interface Tolerance {
  /** absolute part as a fraction of max|expected| */
  atolOfMax: number;
  rtol: number;
}
/** The fixtures' README tolerances. */
export const FORWARD_TOL: Tolerance = { atolOfMax: 2e-5, rtol: 1e-4 };
export const GRAD_TOL: Tolerance = { atolOfMax: 1e-5, rtol: 1e-3 };

/** Elementwise |a − e| ≤ atolOfMax·max|e| + rtol·|e|; the failure names the worst element. */
export function expectClose(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, extraAtol = 0): void {
  expect(actual.length, `${name}: length`).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i]));
  const atol = tol.atolOfMax * max + extraAtol;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const excess = err - (atol + tol.rtol * Math.abs(expected[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${name}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (max|e| ${max}, allowed ${atol + tol.rtol * Math.abs(expected[worst])})`);
  }
}
