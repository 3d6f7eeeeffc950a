import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitPreprocessor, forecastRefs, formatDay, loadWeekly, splitByTime, validate, windowBatches, windowRefs } from '../../src/data/index.js';

const REAL = new URL('../../../shared/data/dunnhumby-weekly/series.csv', import.meta.url).pathname;
const hasReal = existsSync(REAL);
if (!hasReal) console.log(`skipping the real-data tests: ${REAL} is absent`);

describe.skipIf(!hasReal)('the dunnhumby benchmark (456 series x 156 weeks)', () => {
  it('loads with Thursday weeks unchanged, validates, and yields the expected windows', async () => {
    const ds = await loadWeekly(REAL);
    expect(ds.rows).toBe(71_136);
    expect(ds.series).toHaveLength(456);
    expect(ds.weeks).toBe(156);
    expect(ds.weekStart).toBe('thursday');
    expect(formatDay(ds.firstWeek)).toBe('2009-01-08');
    expect(ds.series.every((s) => s.start === 0 && s.length === 156)).toBe(true);

    const report = validate(ds, { asOf: ds.firstWeek + 7 * ds.weeks });
    expect(report.rules.map((r) => r.rule)).toEqual(['completeness', 'consistency', 'timeliness', 'outliers', 'duplicates', 'length']);
    expect(report.rules.find((r) => r.rule === 'completeness')!.value).toBe(0);
    expect(report.rules.find((r) => r.rule === 'duplicates')!.passed).toBe(true);
    expect(report.rules.find((r) => r.rule === 'length')!.passed).toBe(true);
    expect(validate(ds, { asOf: Date.UTC(2026, 0, 1) / 86_400_000 }).rules[2].passed).toBe(false);

    // 156 weeks: 27 full 104 -> 26 windows per series
    expect(windowRefs(ds)).toHaveLength(456 * 27);
    const split = splitByTime(ds);
    expect(split).toEqual({ trainThrough: 103, validationThrough: 129, testThrough: 155 });
    expect(windowRefs(ds, { targetsThrough: split.trainThrough })).toHaveLength(0);
    expect(windowRefs(ds, { targetsThrough: split.trainThrough, minContextObserved: 52 })).toHaveLength(456 * 27);
    expect(windowRefs(ds, { targetsAfter: split.trainThrough, targetsThrough: split.validationThrough })).toHaveLength(456);
    expect(windowRefs(ds, { targetsAfter: split.validationThrough })).toHaveLength(456);
    expect(forecastRefs(ds)).toHaveLength(456);

    const pre = fitPreprocessor(ds, { trainThrough: split.trainThrough });
    let windows = 0;
    for (const b of windowBatches(ds, windowRefs(ds), { preprocessor: pre, batchSize: 512 })) {
      windows += b.size;
      expect(b.pastValues.every(Number.isFinite)).toBe(true);
    }
    expect(windows).toBe(12_312);
  });
});
