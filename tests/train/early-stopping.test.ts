import { describe, it, expect } from 'vitest';
import { earlyStopping, initEarlyStopping, type EarlyStoppingState } from '../../src/train/early-stopping.js';
import { ConfigError } from '../../src/errors.js';

/** Feed losses in order; return the index at which it said stop (or -1) and the final state. */
function run(losses: number[], patience: number, minDelta = 0): { stopAt: number; state: EarlyStoppingState; improved: boolean[] } {
  let state = initEarlyStopping({ patience, minDelta });
  const improved: boolean[] = [];
  for (const [i, loss] of losses.entries()) {
    const r = earlyStopping(state, loss);
    state = r.state;
    improved.push(r.improved);
    if (r.stop) return { stopAt: i, state, improved };
  }
  return { stopAt: -1, state, improved };
}

describe('train/early-stopping', () => {
  it.each([
    // losses, patience, minDelta, stopAt, best, bestStep
    { losses: [5, 4, 3, 2, 1], patience: 2, minDelta: 0, stopAt: -1, best: 1, bestStep: 4 },
    { losses: [5, 4, 4, 4], patience: 2, minDelta: 0, stopAt: 3, best: 4, bestStep: 1 },
    { losses: [5, 6, 7, 4, 5, 6], patience: 3, minDelta: 0, stopAt: -1, best: 4, bestStep: 3 },
    { losses: [5, 6, 7, 8], patience: 3, minDelta: 0, stopAt: 3, best: 5, bestStep: 0 },
    { losses: [1, 0.95, 0.91], patience: 2, minDelta: 0.1, stopAt: 2, best: 1, bestStep: 0 },
    { losses: [1, 0.85, 0.8], patience: 5, minDelta: 0.1, stopAt: -1, best: 0.85, bestStep: 1 },
    { losses: [3, 2], patience: 1, minDelta: 0, stopAt: -1, best: 2, bestStep: 1 },
    { losses: [3, 3], patience: 1, minDelta: 0, stopAt: 1, best: 3, bestStep: 0 },
  ])('$losses with patience $patience, min delta $minDelta → stop at $stopAt, best $best at $bestStep', (c) => {
    const r = run(c.losses, c.patience, c.minDelta);
    expect(r.stopAt).toBe(c.stopAt);
    expect(r.state.best).toBe(c.best);
    expect(r.state.bestStep).toBe(c.bestStep);
  });

  it('stops after exactly patience 15 evaluations without improvement', () => {
    const losses = [1, ...Array.from({ length: 20 }, () => 2)];
    const r = run(losses, 15);
    expect(r.stopAt).toBe(15);
    expect(r.state.wait).toBe(15);
  });

  it('never counts a non-finite loss as an improvement', () => {
    const r = run([NaN, Infinity, 3, NaN, 2], 10);
    expect(r.improved).toEqual([false, false, true, false, true]);
    expect(r.state.best).toBe(2);
    expect(r.state.bestStep).toBe(4);
  });

  it('labels the best with the step the caller passes', () => {
    const s0 = initEarlyStopping({ patience: 3 });
    const { state } = earlyStopping(earlyStopping(s0, 2, 100).state, 1, 200);
    expect(state).toMatchObject({ best: 1, bestStep: 200, evaluations: 2, wait: 0 });
  });

  it('is pure and its state survives JSON', () => {
    const s0 = initEarlyStopping({ patience: 2, minDelta: 0.01 });
    const copy = structuredClone(s0);
    const r1 = earlyStopping(s0, 1);
    expect(s0).toEqual(copy);
    const restored = JSON.parse(JSON.stringify(r1.state)) as EarlyStoppingState;
    expect(earlyStopping(restored, 2)).toEqual(earlyStopping(r1.state, 2));
  });

  it('rejects a patience below 1 and a negative min delta', () => {
    expect(() => initEarlyStopping({ patience: 0 })).toThrow(ConfigError);
    expect(() => initEarlyStopping({ patience: 2.5 })).toThrow(/patience/);
    expect(() => initEarlyStopping({ patience: 2, minDelta: -1 })).toThrow(/min delta/);
  });
});
