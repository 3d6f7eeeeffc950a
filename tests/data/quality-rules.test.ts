import { describe, expect, it } from 'vitest';
import { loadWeekly, parseDay, validate } from '../../src/data/index.js';
import type { RuleName } from '../../src/data/index.js';
import { HEADER, tmpFiles, weeklyCsv } from './tmp-csv.js';

const file = tmpFiles();
const steady = (n: number, level = 20) => Array.from({ length: n }, (_, t) => level + (t % 5));
const AS_OF = parseDay('2024-05-01') as number; // 18 weeks from 2024-01-01: the last starts 2024-04-29

async function check(name: string, csv: string, options: { context?: number; horizon?: number } = {}) {
  const ds = await loadWeekly(file(`${name}.csv`, csv));
  const report = validate(ds, { asOf: AS_OF, context: options.context ?? 8, horizon: options.horizon ?? 4 });
  const rule = (r: RuleName) => report.rules.find((x) => x.rule === r)!;
  return { report, rule };
}

const clean = weeklyCsv([
  { produto: 1, regiao: 0, start: '2024-01-01', vendas: steady(18) },
  { produto: 2, regiao: 0, start: '2024-01-01', vendas: steady(18, 50), price: 3 },
]);

describe('quality rules', () => {
  it('pass on clean data', async () => {
    const { report } = await check('clean', clean);
    expect(report.rules.map((r) => [r.rule, r.passed])).toEqual([
      ['completeness', true],
      ['consistency', true],
      ['timeliness', true],
      ['outliers', true],
      ['duplicates', true],
      ['length', true],
    ]);
    expect(report.passed).toBe(true);
  });

  it('completeness fails from 5% missing weeks and lists the series', async () => {
    const lines = clean.trim().split('\n').filter((l) => !/^2024-0[23]-\d\d,1,0,/.test(l));
    const { rule, report } = await check('gaps', `${lines.join('\n')}\n`);
    const r = rule('completeness');
    expect(r.passed).toBe(false);
    expect(r.series).toEqual([expect.objectContaining({ produto: 1, regiao: 0, detail: '8 of 18 weeks missing' })]);
    expect(report.passed).toBe(false);
  });

  it('consistency fails on any negative value', async () => {
    const csv = clean.replace('2024-01-08,1,0,21,42.00', '2024-01-08,1,0,-3,-6.00');
    const r = (await check('neg', csv)).rule('consistency');
    expect(r.passed).toBe(false);
    expect(r.series[0]).toMatchObject({ produto: 1, regiao: 0, detail: '1 negative row, 0 weeks with an implausible price' });
  });

  it('consistency fails when implausible prices pass 1% of weeks', async () => {
    const csv = clean.replace('2024-01-08,1,0,21,42.00', '2024-01-08,1,0,21,4200.00').replace('2024-01-15,1,0,22,44.00', '2024-01-15,1,0,22,0');
    const r = (await check('price', csv)).rule('consistency');
    expect(r.passed).toBe(false);
    expect(r.series[0].detail).toBe('0 negative rows, 2 weeks with an implausible price');
  });

  it('timeliness fails when the latest week ends more than a week before --as-of, or a series stops early', async () => {
    const late = await loadWeekly(file('late.csv', clean));
    const report = validate(late, { asOf: parseDay('2024-05-13') as number, context: 8, horizon: 4 });
    expect(report.rules[2].passed).toBe(false);
    expect(report.rules[2].value).toBe(8);
    expect(report.rules[2].summary).toMatch(/ends 8 days before 2024-05-13/);
    // as of a day inside the last week: it ends after that day, said so (not "-5 days before")
    const inside = validate(late, { asOf: parseDay('2024-04-30') as number, context: 8, horizon: 4 }).rules[2].summary;
    expect(inside).toMatch(/ends (\d+ days?|on) (after|2024)/);
    expect(inside).not.toMatch(/ends -\d/);
    const lastDay = late.firstWeek + 7 * late.weeks - 1;
    expect(validate(late, { asOf: lastDay + 1, context: 8, horizon: 4 }).rules[2].summary).toMatch(/ends 1 day before/);
    expect(validate(late, { asOf: lastDay - 5, context: 8, horizon: 4 }).rules[2].summary).toMatch(/ends 5 days after/);
    const stale = clean.trim().split('\n').filter((l) => !/^2024-04-\d\d,2,0,/.test(l));
    const r = (await check('stale', `${stale.join('\n')}\n`)).rule('timeliness');
    expect(r.passed).toBe(false);
    expect(r.series).toEqual([expect.objectContaining({ produto: 2, regiao: 0, value: 5 })]);
  });

  it('outliers fail from 2% spikes (robust z on log1p units) and ignore weeks without sales', async () => {
    const spiky = steady(18);
    spiky[5] = 2000;
    const csv = weeklyCsv([
      { produto: 1, regiao: 0, start: '2024-01-01', vendas: spiky },
      { produto: 2, regiao: 0, start: '2024-01-01', vendas: steady(18, 50).map((v, t) => (t % 3 === 0 ? 0 : v)) },
    ]);
    const r = (await check('spike', csv)).rule('outliers');
    expect(r.passed).toBe(false);
    expect(r.value).toBeCloseTo(1 / 30);
    expect(r.series).toEqual([expect.objectContaining({ produto: 1, regiao: 0, detail: '1 of 18 weeks' })]);
  });

  it('duplicates fail on a repeated (series, date) row', async () => {
    const csv = `${clean}2024-01-08,1,0,21,42.00\n`;
    const r = (await check('dup', csv)).rule('duplicates');
    expect(r.passed).toBe(false);
    expect(r.value).toBe(1);
  });

  it('length fails on series shorter than context + horizon', async () => {
    const { rule } = await check('short', clean, { context: 16, horizon: 4 });
    expect(rule('length').passed).toBe(false);
    expect(rule('length').series).toHaveLength(2);
    expect(rule('length').series[0].detail).toBe('18 weeks, needs 20');
  });

  it('reports rows, calendar and the as-of date', async () => {
    const { report } = await check('meta', clean);
    expect(report).toMatchObject({ rows: 36, series: 2, weeks: 18, firstWeek: '2024-01-01', lastWeek: '2024-04-29', asOf: '2024-05-01', weekStart: 'monday' });
    void HEADER;
  });
});
