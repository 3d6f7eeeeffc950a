import { describe, expect, it } from 'vitest';
import { formatDay, loadWeekly, parseDay, weekStartOf, weekdayName } from '../../src/data/index.js';
import { HEADER, tmpFiles, weeklyCsv } from './tmp-csv.js';

const file = tmpFiles();

describe('weeks', () => {
  it('parses real calendar dates only', () => {
    expect(formatDay(parseDay('2024-02-29') as number)).toBe('2024-02-29');
    expect(parseDay('2023-02-29')).toBeUndefined();
    expect(parseDay('2024-13-01')).toBeUndefined();
    expect(parseDay('2024-1-01')).toBeUndefined();
  });
  it('puts a day in the week that starts on the latest anchor weekday on or before it', () => {
    const wed = parseDay('2024-01-03') as number;
    expect(weekdayName(wed)).toBe('wednesday');
    expect(formatDay(weekStartOf(wed, 0))).toBe('2024-01-01');
    expect(formatDay(weekStartOf(wed, 3))).toBe('2023-12-28');
    expect(formatDay(weekStartOf(wed, 2))).toBe('2024-01-03');
  });
});

describe('loadWeekly', () => {
  it('keeps weekly Thursday labels unchanged by default (weeks start on the first date\'s weekday)', async () => {
    const p = file('thu.csv', weeklyCsv([{ produto: 1, regiao: 0, start: '2009-01-08', vendas: [1, 2, 3] }]));
    const ds = await loadWeekly(p);
    expect(ds.weekStart).toBe('thursday');
    expect(formatDay(ds.firstWeek)).toBe('2009-01-08');
    expect(Array.from(ds.series[0].values[0])).toEqual([1, 2, 3]);
  });

  it('sums daily rows into weeks; --week-start monday gives ISO weeks', async () => {
    const days = ['2024-01-03', '2024-01-04', '2024-01-08', '2024-01-09', '2024-01-10'];
    const csv = [HEADER, ...days.map((d, i) => `${d},1,0,${i + 1},${2 * (i + 1)}`)].join('\n');
    const p = file('daily.csv', csv);
    const auto = await loadWeekly(p);
    expect(auto.weekStart).toBe('wednesday');
    expect(Array.from(auto.series[0].values[0])).toEqual([1 + 2 + 3 + 4, 5]);
    const iso = await loadWeekly(p, { weekStart: 'monday' });
    expect(formatDay(iso.firstWeek)).toBe('2024-01-01');
    expect(Array.from(iso.series[0].values[0])).toEqual([1 + 2, 3 + 4 + 5]);
    expect(Array.from(iso.series[0].values[1])).toEqual([6, 24]);
    expect(iso.series[0].stats.duplicateRows).toBe(0);
  });

  it('fills a week without rows with zero (observed) or leaves a gap (mask 0)', async () => {
    const csv = [HEADER, '2024-01-01,1,0,5,10', '2024-01-15,1,0,7,14'].join('\n');
    const p = file('gap.csv', csv);
    const zero = await loadWeekly(p);
    expect(Array.from(zero.series[0].values[0])).toEqual([5, 0, 7]);
    expect(Array.from(zero.series[0].observed)).toEqual([1, 1, 1]);
    expect(Array.from(zero.series[0].rowsPerWeek)).toEqual([1, 0, 1]);
    const gap = await loadWeekly(p, { missing: 'gap' });
    expect(Array.from(gap.series[0].observed)).toEqual([1, 0, 1]);
  });

  it('places series on one calendar, sorted by produto then regiao, from unsorted rows', async () => {
    const csv = [HEADER, '2024-01-15,2,1,1,1', '2024-01-01,1,3,1,1', '2024-01-08,1,0,1,1', '2024-01-01,2,1,1,1'].join('\n');
    const ds = await loadWeekly(file('unsorted.csv', csv));
    expect(ds.series.map((s) => [s.produto, s.regiao, s.start, s.length])).toEqual([
      [1, 0, 1, 1],
      [1, 3, 0, 1],
      [2, 1, 0, 3],
    ]);
    expect(ds.weeks).toBe(3);
    expect(ds.rows).toBe(4);
  });

  it('counts repeated (series, date) rows and negative rows for the quality rules', async () => {
    const csv = [HEADER, '2024-01-01,1,0,5,10', '2024-01-01,1,0,5,10', '2024-01-08,1,0,-1,-2'].join('\n');
    const ds = await loadWeekly(file('dup.csv', csv));
    expect(ds.series[0].stats).toEqual({ rows: 3, negativeRows: 1, duplicateRows: 1 });
    expect(Array.from(ds.series[0].values[0])).toEqual([10, -1]);
  });

  it('reads rows in reverse date order (a warehouse query without ORDER BY) without growing memory per row', async () => {
    const weeks = 400;
    const rows = Array.from({ length: weeks }, (_, t) => `${formatDay(parseDay('2020-01-06')! + 7 * (weeks - 1 - t))},1,0,${weeks - 1 - t},1`);
    const ds = await loadWeekly(file('reversed.csv', [HEADER, ...rows].join('\n')));
    expect(ds.series[0].length).toBe(weeks);
    expect(Array.from(ds.series[0].values[0])).toEqual(Array.from({ length: weeks }, (_, t) => t));
  });
});
