import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWeekly, splitByTime, writeSynth } from '../../src/data/index.js';
import { planWindows } from '../../src/train/index.js';

describe('train/planWindows', () => {
  it('no validation target week is ever a training target, even with padded short histories', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ttm-plan-')), 'd.csv');
    await writeSynth(file, { products: 6, regions: 3, weeks: 130, seed: 3 });
    const ds = await loadWeekly(file);
    const H = 26;
    const split = splitByTime(ds, { validationWeeks: H, testWeeks: 0 });
    const { trainRefs, validationRefs } = planWindows(ds, split, { context: 104, horizon: H, minContext: 13, stride: 1 });
    expect(trainRefs.length).toBeGreaterThan(0);
    expect(validationRefs.length).toBe(ds.series.length);
    const trainTargets = new Set<string>();
    for (const r of trainRefs) for (let h = 0; h < H; h++) trainTargets.add(`${r.series}:${r.origin + h}`);
    for (const r of validationRefs) {
      for (let h = 0; h < H; h++) {
        expect(trainTargets.has(`${r.series}:${r.origin + h}`)).toBe(false);
        expect(r.origin + h).toBeGreaterThan(split.trainThrough);
      }
    }
    for (const r of trainRefs) expect(r.origin + H - 1).toBeLessThanOrEqual(split.trainThrough);
    // 130 weeks hold exactly one full 104 + 26 window; padding is what makes training possible.
    const full = planWindows(ds, split, { context: 104, horizon: H, minContext: 104, stride: 1 });
    expect(full.trainRefs.length).toBe(0);
  });
});
