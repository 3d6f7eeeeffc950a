import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { selectCheckpoint, type SelectionProblem, type ForceReturn } from '../../src/hub/select-checkpoint.js';
import { TTM_CHECKPOINTS } from '../../src/hub/ttm-checkpoints.js';

interface Case {
  query: {
    model_path: string;
    context_length: number;
    prediction_length: number;
    freq: string | null;
    prefer_l1_loss: boolean;
    freq_prefix_tuning: boolean;
    prefer_longer_context: boolean;
    force_return: ForceReturn | null;
  };
  model_key?: string;
  revision?: string;
  prediction_filter_length?: number | null;
  error?: string;
  message?: string;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/get-model-selection.json', import.meta.url), 'utf8')) as {
  checkpoints: unknown;
  cases: Case[];
};

/** get_model's ValueError messages → our problem codes. */
function problemOf(message: string): SelectionProblem {
  if (message.startsWith('Requested context length is less than the shortest')) return 'context-below-shortest';
  if (message.startsWith('Could not find a TTM with `context_length` shorter')) return 'no-shorter-context';
  if (message.startsWith('Could not find a TTM with `prediction_length` higher')) return 'horizon-too-long';
  return 'no-model';
}

describe('hub/select-checkpoint', () => {
  it('carries the same checkpoint table as the reference', () => {
    expect(TTM_CHECKPOINTS).toEqual(fixture.checkpoints);
  });

  it(`matches all ${fixture.cases.length} reference answers of get_model`, () => {
    expect(fixture.cases.length).toBe(1092);
    const mismatches: string[] = [];
    for (const c of fixture.cases) {
      const q = c.query;
      const got = selectCheckpoint({
        repo: q.model_path,
        context: q.context_length,
        horizon: q.prediction_length,
        freq: q.freq,
        preferL1: q.prefer_l1_loss,
        freqPrefixTuning: q.freq_prefix_tuning,
        preferLongerContext: q.prefer_longer_context,
        forceReturn: q.force_return,
      });
      const want = c.error
        ? { kind: 'none', problem: problemOf(c.message ?? '') }
        : { kind: 'checkpoint', key: c.model_key, revision: c.revision, pfl: c.prediction_filter_length ?? null };
      const have =
        got.kind === 'checkpoint'
          ? { kind: got.kind, key: got.key, revision: got.revision, pfl: got.predictionFilterLength }
          : got.kind === 'none'
            ? { kind: got.kind, problem: got.problem }
            : { kind: got.kind };
      if (JSON.stringify(have) !== JSON.stringify(want))
        mismatches.push(`${JSON.stringify(q)}: want ${JSON.stringify(want)}, got ${JSON.stringify(have)}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it("picks 90-30-ft-r2.1 filtered to 26 for the project's 104 weeks → 26 weeks", () => {
    const s = selectCheckpoint({ repo: 'ibm-granite/granite-timeseries-ttm-r2', context: 104, horizon: 26, freq: 'W' });
    expect(s).toMatchObject({ kind: 'checkpoint', key: '90-30-ft-r2.1', revision: '90-30-ft-r2.1', predictionFilterLength: 26 });
    if (s.kind === 'checkpoint') expect(s.reason).toMatch(/90-30-ft-r2.1/);
  });

  it('offers a random init only when asked', () => {
    const q = { repo: 'ibm-granite/granite-timeseries-ttm-r2', context: 20, horizon: 10 };
    expect(selectCheckpoint(q).kind).toBe('none');
    expect(selectCheckpoint({ ...q, forceReturn: 'random_init_small' })).toMatchObject({ kind: 'random-init', size: 'small' });
  });

  it('says when a repo has no checkpoint table', () => {
    expect(selectCheckpoint({ repo: 'someone/else', context: 104, horizon: 26 })).toMatchObject({ kind: 'none', problem: 'no-model' });
  });
});
