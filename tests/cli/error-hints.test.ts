import { describe, expect, it } from 'vitest';
import { cliHints } from '../../src/cli/error-hints.js';
import { DataError } from '../../src/errors.js';
import { findSeries } from '../../src/predict/index.js';
import type { WeeklyDataset } from '../../src/data/index.js';

describe('CLI hints for library errors', () => {
  it('the library hint stays front-end neutral; the CLI adds the flag to change', () => {
    const ds = { file: 'd.csv', series: [{ produto: 1, regiao: 2 }] } as unknown as WeeklyDataset;
    const err = (() => {
      try {
        findSeries(ds, { produto: 9, regiao: 2 });
      } catch (e) {
        return e as DataError;
      }
    })()!;
    expect(err.param).toBe('produto');
    expect(err.hint).not.toMatch(/--/);
    expect(cliHints(err)).toEqual([err.hint, 'pass a --produto value from the produto_cat column']);
    expect(cliHints(new DataError('x', { hint: 'h' }))).toEqual(['h']);
  });
});
