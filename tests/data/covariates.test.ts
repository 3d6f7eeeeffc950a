/**
 * Covariate columns through the data layer: CSV reading and validation, weekly aggregation,
 * derived inputs and scaling in the preprocessor (and its JSON round trip), exogenous channels in
 * the windows, calendar channels, and the --future file with its missing-values error.
 */
import { describe, expect, it } from 'vitest';
import {
  attachFutureCovariates,
  calendarValues,
  checkFutureCovariates,
  forecastRefs,
  loadWeekly,
  parseDay,
  fitPreprocessor,
  preprocessorFromJSON,
  preprocessorToJSON,
  windowBatches,
  windowRefs,
} from '../../src/data/index.js';
import { ConfigError, DataError } from '../../src/errors.js';
import { tmpFiles } from './tmp-csv.js';

const file = tmpFiles();
const COLS = ['price', 'base_price', 'feature'];

/** 2 series x `weeks` weeks from 2024-01-01; price cut of 25% and feature on weeks 3 and 7 of series 1. */
function promoCsv(weeks: number, o: { skip?: number; blank?: boolean } = {}): string {
  const lines = ['date,produto_cat,uf_cat,vendas,faturamento,price,base_price,feature,other'];
  for (const p of [1, 2]) {
    for (let t = 0; t < weeks; t++) {
      if (p === 1 && t === o.skip) continue;
      const promo = p === 1 && (t === 3 || t === 7);
      const price = promo ? 1.5 : 2;
      const date = new Date(Date.UTC(2024, 0, 1 + 7 * t)).toISOString().slice(0, 10);
      const v = promo ? 30 : 10 + t;
      lines.push(`${date},${p},0,${v},${v * price},${o.blank && t === 5 ? '' : price},2,${promo ? 1 : 0},x`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('covariate columns in the CSV', () => {
  it('reads the declared columns as weekly values, in declaration order', async () => {
    const ds = await loadWeekly(file('a.csv', promoCsv(10)), { covariates: COLS });
    expect(ds.covariates).toEqual(COLS);
    const s = ds.series[0];
    expect(s.covariates).toHaveLength(3);
    expect(Array.from(s.covariates![0].slice(2, 5))).toEqual([2, 1.5, 2]);
    expect(s.covariates![2][3]).toBe(1);
    expect(ds.series[1].covariates![2].every((x) => x === 0)).toBe(true);
  });

  it('carries the last value forward through a week without rows (a zero-sales week)', async () => {
    const ds = await loadWeekly(file('gap.csv', promoCsv(10, { skip: 4 })), { covariates: COLS });
    const s = ds.series[0];
    expect(s.values[0][4]).toBe(0);
    expect(s.covariates![0][4]).toBe(1.5); // week 3's price, carried
  });

  it('names the file, line and column of a missing value, and a column not in the header', async () => {
    const bad = file('blank.csv', promoCsv(10, { blank: true }));
    await expect(loadWeekly(bad, { covariates: COLS })).rejects.toThrow(/blank\.csv:7:6: column "price": the value is missing/);
    await expect(loadWeekly(bad, { covariates: ['promo'] })).rejects.toThrow(/column "promo" not found/);
    const text = file('text.csv', promoCsv(4).replace(',1.5,2,', ',cheap,2,').replace('2024-01-22,1,0,10,20,2,2,0', '2024-01-22,1,0,10,20,cheap,2,0'));
    await expect(loadWeekly(text, { covariates: COLS })).rejects.toThrow(/text\.csv:5:6: column "price": "cheap" is not a number/);
  });

  it('refuses a target or key column as a covariate, and a name listed twice', async () => {
    const f = file('ok.csv', promoCsv(4));
    await expect(loadWeekly(f, { covariates: ['vendas'] })).rejects.toThrow(ConfigError);
    await expect(loadWeekly(f, { covariates: ['price', 'price'] })).rejects.toThrow(/listed twice/);
  });

  it('without --covariates the extra columns are ignored as before', async () => {
    const ds = await loadWeekly(file('plain.csv', promoCsv(4)));
    expect(ds.covariates).toEqual([]);
    expect(ds.series[0].covariates).toBeUndefined();
  });
});

describe('preprocessor: derived inputs and scaling, saved with the model', () => {
  it('derives relative_price and price_cut, fits scales on training weeks only, round-trips', async () => {
    const ds = await loadWeekly(file('b.csv', promoCsv(12)), { covariates: COLS });
    const pre = fitPreprocessor(ds, { trainThrough: 5, covariates: { columns: COLS, calendar: null } });
    const spec = pre.covariates!;
    // price and base_price feed the derived inputs; their levels are not channels
    expect(spec.names).toEqual(['feature', 'relative_price', 'price_cut']);
    expect(spec.inputs_only).toEqual(['price', 'base_price']);
    // Weeks 0-5 of both series: one promo week (t = 3) out of 12 points.
    expect(spec.mean[0]).toBeCloseTo(1 / 12, 12);
    expect(spec.mean[1]).toBeCloseTo((11 + 0.75) / 12, 12);
    expect(spec.std[2]).toBeCloseTo(Math.sqrt(1 / 12 - 1 / 144), 12);
    const text = preprocessorToJSON(pre);
    const back = preprocessorFromJSON(text);
    expect(back).toEqual(pre);
    expect(preprocessorToJSON(back)).toBe(text);
    const tampered = JSON.parse(text);
    tampered.covariates.names = ['price'];
    expect(() => preprocessorFromJSON(JSON.stringify(tampered))).toThrow(/covariates/);
  });

  it('a model saved before price levels stopped being channels (no inputs_only) keeps its channels', async () => {
    const ds = await loadWeekly(file('old.csv', promoCsv(12)), { covariates: COLS });
    const pre = fitPreprocessor(ds, { trainThrough: 11, scaling: 'none', covariates: { columns: COLS, calendar: null } });
    const old = JSON.parse(preprocessorToJSON(pre));
    delete old.covariates.inputs_only;
    old.covariates.names = ['price', 'base_price', 'feature', 'relative_price', 'price_cut'];
    old.covariates.mean = [0, 0, 0, 0, 0];
    old.covariates.std = [1, 1, 1, 1, 1];
    const back = preprocessorFromJSON(JSON.stringify(old));
    const refs = windowRefs(ds, { context: 4, horizon: 4, series: [0] }).filter((r) => r.origin === 6);
    const [b] = [...windowBatches(ds, refs, { context: 4, horizon: 4, preprocessor: back })];
    expect(b.channels).toBe(7);
    // week 3 (context t = 1) is the promo: price 1.5, base 2, feature 1, relative 0.75, cut 1
    expect(Array.from({ length: 5 }, (_, e) => b.pastValues[1 * 7 + 2 + e])).toEqual([1.5, 2, 1, 0.75, 1]);
  });

  it('windows carry the exogenous channels after the targets, scaled, in context and horizon', async () => {
    const ds = await loadWeekly(file('c.csv', promoCsv(12)), { covariates: COLS });
    const pre = fitPreprocessor(ds, { trainThrough: 11, scaling: 'none', covariates: { columns: COLS, calendar: null } });
    const spec = pre.covariates!;
    const refs = windowRefs(ds, { context: 4, horizon: 4, series: [0] }).filter((r) => r.origin === 6);
    const [b] = [...windowBatches(ds, refs, { context: 4, horizon: 4, preprocessor: pre })];
    expect(b.channels).toBe(5);
    expect(b.targets).toBe(2);
    const C = 5;
    const at = (arr: Float32Array, t: number, c: number) => arr[t * C + c];
    // context weeks 2..5: week 3 is the promo (t = 1); horizon weeks 6..9: week 7 (h = 1)
    const scaled = (e: number, x: number) => (x - spec.mean[e]) / spec.std[e];
    expect(at(b.pastValues, 1, 2 + 1)).toBeCloseTo(scaled(1, 0.75), 5); // relative_price
    expect(at(b.pastValues, 1, 2 + 2)).toBeCloseTo(scaled(2, 1), 5); // price_cut
    expect(at(b.futureValues, 1, 2 + 0)).toBeCloseTo(scaled(0, 1), 5); // feature in the horizon
    expect(at(b.futureValues, 1, 0)).toBe(30); // training windows keep the targets (the loss needs them)
    // Forecasting: the horizon's targets are never filled.
    const [f] = [...windowBatches(ds, refs, { context: 4, horizon: 4, preprocessor: pre, futureTargets: false })];
    for (let h = 0; h < 4; h++) {
      expect([at(f.futureValues, h, 0), at(f.futureValues, h, 1), at(f.futureObservedMask, h, 0)]).toEqual([0, 0, 0]);
      expect(at(f.futureValues, h, 2)).toBe(at(b.futureValues, h, 2));
    }
  });
});

describe('calendar channels', () => {
  const day = (d: string) => parseDay(d)!;
  it('marks public holidays and retail dates of the country from the calendar library', () => {
    const christmas = calendarValues('BR', day('2025-12-22'));
    expect(christmas[2]).toBe(1); // Natal, 25 Dec
    expect(calendarValues('BR', day('2025-11-17'))[2]).toBe(1); // Consciência Negra, 20 Nov
    const blackFriday = calendarValues('BR', day('2025-11-24'));
    expect(blackFriday.slice(2)).toEqual([0, 1]); // Black Friday, 28 Nov
    expect(calendarValues('BR', day('2025-05-05'))[3]).toBe(1); // Dia das Mães, 11 May
    expect(calendarValues('BR', day('2025-07-14')).slice(2)).toEqual([0, 0]);
    const [s, c] = calendarValues('BR', day('2025-03-31'));
    expect(Math.hypot(s, c)).toBeCloseTo(1, 12);
    expect(s).toBeGreaterThan(0.99); // a quarter into the year
  });

  it('adds the calendar to the exogenous channels without any user column', async () => {
    const ds = await loadWeekly(file('d.csv', promoCsv(12)));
    const pre = fitPreprocessor(ds, { covariates: { columns: [], calendar: 'BR' } });
    expect(pre.covariates!.names).toEqual(['week_sin', 'week_cos', 'holidays', 'retail_events']);
    expect(() => fitPreprocessor(ds, { covariates: { columns: [], calendar: 'XX' } })).toThrow(/XX/);
  });
});

describe('future covariates (--future)', () => {
  it('extends the series with the forecast weeks; target columns are never read', async () => {
    const ds = await loadWeekly(file('e.csv', promoCsv(8)), { covariates: COLS });
    const future = file(
      'future.csv',
      ['uf_cat,vendas,date,produto_cat,price,base_price,feature', '0,??,2024-02-26,1,1.2,2,1', '0,??,2024-03-04,1,2,2,0', '0,,2024-02-26,2,2,2,0', '0,not read,2024-01-01,1,9,9,9', '5,1,2024-02-26,9,2,2,0'].join('\n'),
    );
    const summary = await attachFutureCovariates(ds, future);
    expect(summary).toEqual({ rows: 5, insideHistory: 1, unknownSeries: 1 });
    expect(Array.from(ds.series[0].covariates![0].slice(7))).toEqual([1.5, 1.2, 2]);
    expect(ds.series[0].covariates![0][0]).toBe(2); // the history's value, not the future file's
    const pre = fitPreprocessor(ds, { covariates: { columns: COLS, calendar: null } });
    const refs = forecastRefs(ds);
    expect(() => checkFutureCovariates(ds, pre.covariates!, refs, 2, 'f.csv')).toThrow(DataError);
    try {
      checkFutureCovariates(ds, pre.covariates!, refs, 2, 'f.csv');
    } catch (e) {
      // series 1 has both weeks; series 2 lacks 2024-03-04
      expect((e as Error).message).toMatch(/missing for 1 series:\n {2}produto 2 regiao 0: 2024-03-04$/);
      expect((e as DataError).hint).toMatch(/--future/);
    }
    expect(() => checkFutureCovariates(ds, pre.covariates!, refs.slice(0, 1), 2, 'f.csv')).not.toThrow();
    expect(() => checkFutureCovariates(ds, pre.covariates!, refs.slice(0, 1), 3, 'f.csv')).toThrow(/missing for 1 series:\n {2}produto 1 regiao 0: 2024-03-11$/);
    const none = await loadWeekly(file('e2.csv', promoCsv(8)), { covariates: COLS });
    expect(() => checkFutureCovariates(none, pre.covariates!, forecastRefs(none), 3, 'f.csv')).toThrow(/produto 1 regiao 0: all 3 weeks 2024-02-26 … 2024-03-11\n {2}produto 2 regiao 0: all 3 weeks/);
  });
});
