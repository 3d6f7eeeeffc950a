import { describe, expect, it } from 'vitest';
import { cutDataset, cutWeek, loadWeekly, parseDay } from '../../src/data/index.js';
import { tmpFiles, weeklyCsv } from './tmp-csv.js';

const file = tmpFiles();

describe('cutDataset / cutWeek', () => {
  it('keeps the weeks up to the cut and drops series that start after it', async () => {
    const ds = await loadWeekly(file('a.csv', weeklyCsv([
      { produto: 1, regiao: 1, start: '2024-01-01', vendas: [1, 2, 3, 4, 5, 6] },
      { produto: 2, regiao: 1, start: '2024-01-29', vendas: [7, 8] },
    ])));
    expect(ds.weeks).toBe(6);
    const cut = cutDataset(ds, cutWeek(ds, { holdout: 2 }));
    expect(cut.weeks).toBe(4);
    expect(cut.series).toHaveLength(1);
    expect([...cut.series[0].values[0]]).toEqual([1, 2, 3, 4]);
    const until = cutDataset(ds, cutWeek(ds, { until: parseDay('2024-01-31')! }));
    expect(until.weeks).toBe(5);
    expect(until.series.map((s) => [s.produto, s.length])).toEqual([[1, 5], [2, 1]]);
    expect(cutWeek(ds, {})).toBe(5);
    expect(() => cutWeek(ds, { holdout: 6 })).toThrow(/nothing left to train on/);
    expect(() => cutWeek(ds, { holdout: 1, until: 0 })).toThrow(/exclude each other/);
  });
});
