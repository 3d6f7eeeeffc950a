import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/errors.js';
import { initEarlyStopping } from '../../src/train/early-stopping.js';
import { parseTrainerState, trainerStateJson, type TrainerState } from '../../src/train/trainer-state.js';

const state: TrainerState = {
  epoch: 2, batchInEpoch: 3, step: 23, epochLossSum: NaN, epochWindows: 192,
  early: initEarlyStopping({ patience: 15 }),
  history: [{ epoch: 1, loss: 0.5, valLoss: 0.6, lr: 1e-4, seconds: 2, windowsPerSecond: 300 }],
  bestEpoch: 1, bestStep: 10, stopped: false, fingerprint: 'abc',
};

describe('trainer_state.json', () => {
  it('writer and parser share one schema; NaN survives the trip through JSON as NaN', () => {
    const back = parseTrainerState(JSON.parse(JSON.stringify(trainerStateJson(state))), 'ts.json');
    expect(back).toEqual(state);
    expect(Number.isNaN(back.epochLossSum)).toBe(true);
  });

  it('rejects a damaged state naming the file and field', () => {
    expect(() => parseTrainerState({ ...state, step: -1 }, 'ck/trainer_state.json')).toThrow(/ck\/trainer_state.json: invalid trainer state: step/);
    const { early: _e, ...noEarly } = state;
    expect(() => parseTrainerState(noEarly, 'ts.json')).toThrow(CheckpointError);
  });
});
