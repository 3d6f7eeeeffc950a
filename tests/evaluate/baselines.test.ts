import { describe, expect, it } from 'vitest';
import { BASELINES, meanLast, medianLast, naive, seasonalNaive } from '../../src/evaluate/index.js';

describe('baselines', () => {
  const history = Array.from({ length: 60 }, (_, t) => t);

  it('seasonal naive repeats the value one season earlier', () => {
    expect([...seasonalNaive(history, 3, 52)]).toEqual([8, 9, 10]);
    expect([...seasonalNaive([1, 2, 3], 7, 3)]).toEqual([1, 2, 3, 1, 2, 3, 1]);
  });

  it('seasonal naive asks for a full season of history', () => {
    expect(() => seasonalNaive([1, 2], 2, 52)).toThrow(/has 2 weeks, needs at least 52/);
  });

  it('naive, mean and median are flat', () => {
    expect([...naive(history, 2)]).toEqual([59, 59]);
    expect([...meanLast(history, 2, 52)]).toEqual([33.5, 33.5]);
    expect([...meanLast([2, 4], 1, 52)]).toEqual([3]);
    expect([...medianLast([9, 1, 5, 100], 1, 3)]).toEqual([5]);
    expect([...medianLast([9, 1, 5, 100], 1, 4)]).toEqual([7]);
  });

  it('clips at 0', () => {
    expect([...naive([3, -2], 2)]).toEqual([0, 0]);
    expect([...seasonalNaive([-1, 2], 2, 2)]).toEqual([0, 2]);
  });

  it('names the methods as baselines.json does', () => {
    expect(Object.keys(BASELINES)).toEqual(['snaive52', 'naive', 'mean52', 'median13']);
  });
});
