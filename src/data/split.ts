/**
 * Leakage-free splits. By time: one calendar cutoff for every series, so a week is a target of
 * at most one split (train targets <= trainThrough < validation targets <= validationThrough <
 * test targets). By series: whole produto x uf series go to one split (the design's "split
 * preserving combinations").
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../runtime/rng.js';
import type { WeeklyDataset } from './series.js';

/** Calendar week indices (inclusive ends) of the three target periods. */
export interface TimeSplit {
  trainThrough: number;
  validationThrough: number;
  testThrough: number;
}

export interface TimeSplitOptions {
  /** weeks of validation targets before the test period (default 26) */
  validationWeeks?: number;
  /** weeks of test targets at the end of the calendar (default 26) */
  testWeeks?: number;
}

/** The last `testWeeks` weeks are test targets, the `validationWeeks` before them validation. */
export function splitByTime(ds: WeeklyDataset, options: TimeSplitOptions = {}): TimeSplit {
  const { validationWeeks = 26, testWeeks = 26 } = options;
  if (!(validationWeeks >= 0 && testWeeks >= 0 && Number.isInteger(validationWeeks) && Number.isInteger(testWeeks))) {
    throw new ConfigError(`validation and test weeks must be whole numbers >= 0 (got ${validationWeeks}, ${testWeeks})`);
  }
  const testThrough = ds.weeks - 1;
  const validationThrough = testThrough - testWeeks;
  const trainThrough = validationThrough - validationWeeks;
  if (trainThrough < 0) {
    throw new ConfigError(`the data has ${ds.weeks} weeks: too few for ${validationWeeks} validation and ${testWeeks} test weeks`, {
      hint: 'use fewer validation/test weeks or a longer history',
    });
  }
  return { trainThrough, validationThrough, testThrough };
}

export interface SeriesSplit {
  train: number[];
  validation: number[];
  test: number[];
}

/** Assigns whole series (indices into ds.series) to splits at random, by shares, with a seeded Rng. */
export function splitSeries(ds: WeeklyDataset, shares: { validation: number; test: number }, rng: Rng): SeriesSplit {
  const { validation, test } = shares;
  if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
    throw new ConfigError(`series shares must be >= 0 and sum below 1 (got validation ${validation}, test ${test})`);
  }
  const order = rng.shuffle(ds.series.map((_, i) => i));
  const n = order.length;
  const nTest = Math.round(n * test);
  const nVal = Math.round(n * validation);
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  return {
    test: sorted(order.slice(0, nTest)),
    validation: sorted(order.slice(nTest, nTest + nVal)),
    train: sorted(order.slice(nTest + nVal)),
  };
}
