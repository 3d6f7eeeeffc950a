import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/errors.js';
import { calibrateConformal, calibrationToJSON, forecasterFileJson, parseForecasterFile, type ForecasterMeta } from '../../src/predict/index.js';

const cal = calibrationToJSON(calibrateConformal([{ history: [1, 2, 3, 2], actual: [2, 3], forecast: [2.5, 2] }, { history: [4, 4, 5], actual: [5, 6], forecast: [4, 4] }]));
const meta: ForecasterMeta = {
  format: 'ttm-forecaster',
  version: 1,
  channels: ['vendas', 'faturamento'],
  horizon: 2,
  blend: { window: 13, modelWeight: [0.7, 1] },
  calibration: [cal, cal],
  training_stats: [{ any: 1 }, { any: 2 }],
  trained_through: '2024-03-04',
  transform: 'none',
};

describe('forecaster.json', () => {
  it('the writer and the parser share one schema: what is written reads back equal', () => {
    const text = forecasterFileJson(meta);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseForecasterFile(text, 'f.json')).toEqual(meta);
  });

  it('the writer refuses what the parser would refuse', () => {
    expect(() => forecasterFileJson({ ...meta, calibration: [cal] })).toThrow(/calibration/);
  });

  it.each([
    ['not JSON', '{"format":', /f.json: not valid JSON/],
    ['another file', '{"format":"other"}', /f.json: not a ttm forecaster file/],
    ['a bad blend', JSON.stringify({ ...meta, blend: { window: 13, modelWeight: [2, 1] } }), /f.json: invalid forecaster file: blend.modelWeight.0/],
    ['a calibration per channel', JSON.stringify({ ...meta, calibration: [cal] }), /calibration: has 1 entries for 2 channels/],
    ['unsorted scores', JSON.stringify({ ...meta, calibration: [cal, { ...cal, scores: [[2, 1]] }] }), /calibration.1.scores.0.1/],
    ['a bad date', JSON.stringify({ ...meta, trained_through: '4 March' }), /trained_through/],
  ])('rejects %s with a CheckpointError naming the field', (_name, text, message) => {
    expect(() => parseForecasterFile(text, 'f.json')).toThrow(message);
    expect(() => parseForecasterFile(text, 'f.json')).toThrow(CheckpointError);
  });
});
