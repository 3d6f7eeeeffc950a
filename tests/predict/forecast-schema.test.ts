import { describe, expect, it } from 'vitest';
import { ForecastResponseSchema, PredictDocumentSchema, predictDocument, seriesForecast, type PredictResult } from '../../src/predict/index.js';

/** A two-week, two-channel result with two levels, the 95% upper bound unbounded in week 2. */
const result: PredictResult = {
  horizon: 2,
  channels: ['vendas', 'faturamento'],
  levels: [0.8, 0.95],
  predictions: [
    {
      produto: 12,
      regiao: 3,
      lastWeek: '2024-01-01',
      dates: ['2024-01-08', '2024-01-15'],
      values: { vendas: [10, 11], faturamento: [100, 110] },
      intervals: {
        '80': { vendas: { lo: [8, 9], hi: [12, 13] }, faturamento: { lo: [80, 90], hi: [120, 130] } },
        '95': { vendas: { lo: [6, 7], hi: [14, Infinity] }, faturamento: { lo: [60, 70], hi: [140, 150] } },
      },
    },
  ],
  skipped: [{ key: { produto: 5, regiao: 1 }, reason: 'too short' }],
  modelSeconds: 0.5,
  seconds: 0.75,
};

describe('forecast response schema', () => {
  it('one series: per channel one point per week, bounds of the first level, every level listed', () => {
    const s = seriesForecast(result, result.predictions[0], { model_version: 'v0002' });
    expect(ForecastResponseSchema.parse(s)).toEqual(s);
    expect(s.metadata).toEqual({ produto_id: 12, regiao_id: 3, horizon: 2, last_week: '2024-01-01', interval_levels: [0.8, 0.95], model_version: 'v0002' });
    expect(s.predictions.vendas[0]).toEqual({
      date: '2024-01-08',
      value: 10,
      lower: 8,
      upper: 12,
      intervals: [
        { level: 0.8, lower: 8, upper: 12 },
        { level: 0.95, lower: 6, upper: 14 },
      ],
    });
    expect(s.predictions.vendas[1].intervals![1].upper).toBeNull(); // Infinity -> null
    expect(s.predictions.faturamento.map((p) => p.value)).toEqual([100, 110]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('one level: lower and upper only; no level: the point forecast only', () => {
    const one = seriesForecast({ ...result, levels: [0.8] }, result.predictions[0]);
    expect(Object.keys(one.predictions.vendas[0])).toEqual(['date', 'value', 'lower', 'upper']);
    const none = seriesForecast({ ...result, levels: [] }, result.predictions[0]);
    expect(none.predictions.vendas[0]).toEqual({ date: '2024-01-08', value: 10 });
    expect(none.metadata.interval_levels).toEqual([]);
  });

  it('the CLI document: snake_case keys, fractions, skipped series by id', () => {
    const doc = predictDocument(result, { backend: 'wasm', model: 'm', data: 'd.csv' });
    expect(PredictDocumentSchema.parse(doc)).toEqual(doc);
    expect(doc.skipped).toEqual([{ produto_id: 5, regiao_id: 1, reason: 'too short' }]);
    expect(doc.model_seconds).toBe(0.5);
    const keys = JSON.stringify(doc).match(/"([^"]+)":/g)!.map((k) => k.slice(1, -2));
    for (const k of keys.filter((k) => !['vendas', 'faturamento'].includes(k))) expect(k).toMatch(/^[a-z][a-z0-9_]*$/);
  });
});
