import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  oneCycle,
  oneCycleLr,
  oneCycleSchedule,
  parseOneCycleState,
  type OneCycleSchedule,
} from '../../src/train/one-cycle.js';
import { CheckpointError, ConfigError, TrainingError } from '../../src/errors.js';

const fixture = (rel: string) => fileURLToPath(new URL(`../fixtures/optim/${rel}`, import.meta.url));

interface Case extends OneCycleSchedule {
  lr: number[];
  beta1: number[];
}
const cases = (JSON.parse(readFileSync(fixture('onecycle.json'), 'utf8')) as { cases: Case[] }).cases;

/** Relative closeness; Math.cos and Python's math.cos may differ in the last bit. */
function expectRel(actual: number, expected: number, rtol = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-300);
}

describe('train/one-cycle', () => {
  it('has the fixture cases to compare with', () => {
    expect(cases.length).toBeGreaterThanOrEqual(2);
  });

  for (const [i, c] of cases.entries()) {
    it(`matches PyTorch's lr and beta1 at every step of case ${i} (${c.total_steps} steps, max_lr ${c.max_lr})`, () => {
      const { lr, beta1, ...args } = c;
      const sched = oneCycleSchedule(args);
      expect(lr.length).toBe(c.total_steps);
      for (let k = 0; k < c.total_steps; k++) {
        const v = oneCycle(k, sched);
        expectRel(v.lr, lr[k]);
        expectRel(v.beta1!, beta1[k]);
        expect(oneCycleLr(k, sched)).toBe(v.lr);
      }
    });
  }

  for (const name of ['train-seed-fc1-fc2', 'train-seed-backbone-frozen', 'train-exog-none']) {
    it(`reproduces the lr_used of the ${name} training run`, () => {
      const meta = JSON.parse(readFileSync(fixture(`${name}/meta.json`), 'utf8'));
      const { name: _n, note: _note, ...args } = meta.scheduler;
      const sched = oneCycleSchedule(args);
      const lrs = (meta.lr_used as number[]).map((_, k) => oneCycleLr(k, sched));
      lrs.forEach((v, k) => expectRel(v, meta.lr_used[k]));
    });
  }

  it('fills PyTorch defaults and keeps only its own keys', () => {
    const s = oneCycleSchedule({ total_steps: 10, max_lr: 1e-3, lr: [1, 2] } as never);
    expect(Object.keys(s)).toHaveLength(10);
    expect(s).toMatchObject({
      pct_start: 0.3, div_factor: 25, final_div_factor: 1e4, anneal_strategy: 'cos',
      three_phase: false, cycle_momentum: true, base_momentum: 0.85, max_momentum: 0.95,
    });
    expectRel(oneCycleLr(0, s), 1e-3 / 25);
    expect(oneCycle(0, s).beta1).toBe(0.95);
    expectRel(oneCycleLr(9, s), 1e-3 / 25 / 1e4);
  });

  it('anneals linearly when asked', () => {
    // 10 steps, pct 0.5: phase 1 ends at step 4, phase 2 at step 9.
    const s = oneCycleSchedule({ total_steps: 10, max_lr: 1, pct_start: 0.5, div_factor: 10, final_div_factor: 1, anneal_strategy: 'linear' });
    expectRel(oneCycleLr(2, s), 0.1 + 0.9 * 0.5);
    expectRel(oneCycleLr(4, s), 1);
    expectRel(oneCycleLr(9, s), 0.1);
    expectRel(oneCycle(2, s).beta1!, 0.95 - 0.1 * 0.5);
  });

  it('has three phases when three_phase is set', () => {
    // 20 steps, pct 0.25: up until step 4, down to initial at step 8, then to min at step 19.
    const s = oneCycleSchedule({ total_steps: 20, max_lr: 1, pct_start: 0.25, div_factor: 4, final_div_factor: 2, three_phase: true });
    expectRel(oneCycleLr(4, s), 1);
    expectRel(oneCycleLr(8, s), 0.25);
    expectRel(oneCycleLr(19, s), 0.125);
    expectRel(oneCycle(8, s).beta1!, 0.95);
    expectRel(oneCycle(12, s).beta1!, 0.95);
  });

  it('leaves beta1 alone without cycle_momentum', () => {
    const s = oneCycleSchedule({ total_steps: 5, max_lr: 1, cycle_momentum: false });
    expect(oneCycle(1, s).beta1).toBeUndefined();
  });

  it('rejects bad arguments and steps past the end, as PyTorch does', () => {
    expect(() => oneCycleSchedule({ total_steps: 0, max_lr: 1 })).toThrow(ConfigError);
    expect(() => oneCycleSchedule({ total_steps: 5, max_lr: 1, pct_start: 1.5 })).toThrow(/pct_start/);
    const s = oneCycleSchedule({ total_steps: 5, max_lr: 1 });
    expect(() => oneCycle(5, s)).not.toThrow();
    expect(() => oneCycle(6, s)).toThrow(TrainingError);
    expect(() => oneCycle(-1, s)).toThrow(TrainingError);
  });

  it('round-trips its state through JSON and rejects a damaged one', () => {
    const schedule = oneCycleSchedule({ total_steps: 37, max_lr: 1e-3, pct_start: 0.25 });
    const state = parseOneCycleState(JSON.parse(JSON.stringify({ schedule, step: 12 })));
    expect(state).toEqual({ schedule, step: 12 });
    expect(oneCycle(state.step, state.schedule)).toEqual(oneCycle(12, schedule));
    expect(() => parseOneCycleState({ schedule, step: 99 })).toThrow(CheckpointError);
    const { max_lr: _m, ...noMax } = schedule;
    expect(() => parseOneCycleState({ schedule: noMax, step: 0 })).toThrow(/schedule\.max_lr/);
    expect(() => parseOneCycleState({ schedule: { ...schedule, total_steps: -3 }, step: 0 })).toThrow(CheckpointError);
    expect(() => parseOneCycleState({ schedule: { ...schedule, max_lr: '0.001' }, step: 0 })).toThrow(/max_lr must be a finite number/);
    expect(() => parseOneCycleState({ schedule: { ...schedule, three_phase: 'no' }, step: 0 })).toThrow(/three_phase must be a boolean/);
  });
});
