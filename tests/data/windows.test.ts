import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/runtime/rng.js';
import { fitPreprocessor, forecastRefs, loadWeekly, splitByTime, splitSeries, windowBatches, windowRefs } from '../../src/data/index.js';
import type { WeeklyDataset, WindowRef } from '../../src/data/index.js';
import { HEADER, tmpFiles, weeklyCsv } from './tmp-csv.js';

const file = tmpFiles();
const ramp = (n: number, from = 0) => Array.from({ length: n }, (_, t) => from + t);

async function dataset(): Promise<WeeklyDataset> {
  return loadWeekly(
    file(
      'w.csv',
      weeklyCsv([
        { produto: 1, regiao: 0, start: '2024-01-01', vendas: ramp(40) },
        { produto: 2, regiao: 1, start: '2024-03-04', vendas: ramp(31, 100) },
      ]),
    ),
  );
}

const targets = (refs: WindowRef[], H: number) => refs.flatMap((r) => ramp(H, r.origin).map((w) => `${r.series}:${w}`));

describe('windowRefs', () => {
  it('lists every full window, stride counted back from the latest', async () => {
    const ds = await dataset();
    expect(windowRefs(ds, { context: 8, horizon: 4 }).filter((r) => r.series === 0)).toHaveLength(40 - 12 + 1);
    const strided = windowRefs(ds, { context: 8, horizon: 4, stride: 5, series: [0] }).map((r) => r.origin);
    expect(strided).toEqual([11, 16, 21, 26, 31, 36]);
  });

  it('never gives a validation or test target week to a training window', async () => {
    const ds = await dataset();
    const split = splitByTime(ds, { validationWeeks: 6, testWeeks: 4 });
    expect(split).toEqual({ trainThrough: 29, validationThrough: 35, testThrough: 39 });
    const shape = { context: 8, horizon: 4, minContextObserved: 2 };
    const train = windowRefs(ds, { ...shape, targetsThrough: split.trainThrough });
    const val = windowRefs(ds, { ...shape, targetsAfter: split.trainThrough, targetsThrough: split.validationThrough });
    const test = windowRefs(ds, { ...shape, targetsAfter: split.validationThrough });
    expect(train.length * val.length * test.length).toBeGreaterThan(0);
    const trainTargets = new Set(targets(train, 4));
    for (const t of [...targets(val, 4), ...targets(test, 4)]) expect(trainTargets.has(t)).toBe(false);
    for (const r of train) expect(r.origin + 3).toBeLessThanOrEqual(split.trainThrough);
    for (const r of val) expect(r.origin).toBeGreaterThan(split.trainThrough);
    // and the scaler never saw a validation or test week
    const pre = fitPreprocessor(ds, { trainThrough: split.trainThrough });
    expect(pre.fittedThrough).toBe('2024-07-22');
  });

  it('allows short histories with left padding down to minContextObserved', async () => {
    const ds = await dataset();
    const full = windowRefs(ds, { context: 30, horizon: 4, series: [1] });
    expect(full).toEqual([]); // 31 weeks < 30 + 4
    const padded = windowRefs(ds, { context: 30, horizon: 4, series: [1], minContextObserved: 20 });
    expect(padded.map((r) => r.origin)).toEqual([29, 30, 31, 32, 33, 34, 35, 36]);
  });

  it('holds out whole series with splitSeries', async () => {
    const ds = await dataset();
    const s = splitSeries(ds, { validation: 0.5, test: 0 }, new Rng(1));
    expect([...s.train, ...s.validation].sort()).toEqual([0, 1]);
    expect(s.train).toHaveLength(1);
  });
});

describe('windowBatches', () => {
  it('fills [batch, context, channels] arrays, padding before the series with mask 0', async () => {
    const ds = await dataset();
    const refs = windowRefs(ds, { context: 12, horizon: 3, series: [1], minContextObserved: 2 });
    const gen = windowBatches(ds, refs, { context: 12, horizon: 3, batchSize: 4 });
    const first = gen.next().value!;
    expect(first.size).toBe(4);
    expect(first.pastValues).toBeInstanceOf(Float32Array);
    expect(first.pastValues.length).toBe(4 * 12 * 2);
    expect(first.futureValues.length).toBe(4 * 3 * 2);
    // first window: origin = start + 2, so 10 padded steps then weeks 0, 1 of the series
    const C = 2;
    const past = (b: number, t: number, c: number) => first.pastValues[(b * 12 + t) * C + c];
    const mask = (b: number, t: number) => first.pastObservedMask[(b * 12 + t) * C];
    expect(ramp(12).map((t) => mask(0, t))).toEqual([...new Array(10).fill(0), 1, 1]);
    expect([past(0, 10, 0), past(0, 11, 0), past(0, 11, 1)]).toEqual([100, 101, 202]);
    expect(first.futureValues[0]).toBe(102);
    expect(first.staticCategorical[0]).toBe(1); // uf_cat 1 is the second code of the data
    expect(first.keys[0]).toEqual({ produto: 2, regiao: 1 });
    expect(first.origins[0]).toBe('2024-03-18');
    let total = first.size;
    for (const b of gen) total += b.size;
    expect(total).toBe(refs.length);
  });

  it('scales with the preprocessor and encodes uf; forecast windows have no targets', async () => {
    const ds = await dataset();
    const pre = fitPreprocessor(ds);
    const [b] = [...windowBatches(ds, forecastRefs(ds), { context: 8, horizon: 4, preprocessor: pre })];
    expect(b.size).toBe(2);
    expect(Array.from(b.staticCategorical)).toEqual([0, 1]);
    const s = pre.series[0];
    expect(b.pastValues[7 * 2]).toBeCloseTo((39 - s.mean[0]) / s.std[0], 5);
    expect(b.mean[0]).toBeCloseTo(s.mean[0], 4);
    expect(b.futureObservedMask.every((m) => m === 0)).toBe(true);
    expect(b.origins).toEqual(['2024-10-07', '2024-10-07']);
  });

  it('shuffles with a seeded Rng: same seed, same order', async () => {
    const ds = await dataset();
    const refs = windowRefs(ds, { context: 8, horizon: 4 });
    const order = (seed: number) => [...windowBatches(ds, refs, { context: 8, horizon: 4, batchSize: 1000, rng: new Rng(seed) })][0].originWeeks;
    expect(order(3)).toEqual(order(3));
    expect(order(3)).not.toEqual(order(4));
    void HEADER;
  });
});
