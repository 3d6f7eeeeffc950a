import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'ttm-demo-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe.skipIf(!built)('ttm demo (built CLI, shrunk: 4 produtos, 1 epoch)', () => {
  it('synthesises, validates, trains, evaluates and forecasts into the default folders, naming each step\'s command', () => {
    const r = runCli(['demo', '--products', '4', '--epochs', '1', '--stride', '26'], { cwd });
    expect(r.code).toBe(0);
    for (const cmd of ['ttm synth', 'ttm validate --data dados/db_tratado-w.csv --as-of 2025-12-29', 'ttm train', 'ttm evaluate', 'ttm predict --produto']) {
      expect(r.stderr).toContain(`(alone: ${cmd}`);
    }
    expect(r.stderr).toMatch(/epoch 1: loss/);
    expect(r.stdout).toMatch(/snaive52/);
    expect(r.stdout).toMatch(/interval covers/);
    expect(r.stdout).toMatch(/produto \d+, regiao 0: 26 weeks after 2025-12-22, intervals 80%, 95%/);
    expect(r.stdout).toMatch(/^wrote: dados\/db_tratado-w\.csv/m);
    expect(existsSync(join(cwd, 'dados/db_tratado-w.csv'))).toBe(true);
    expect(existsSync(join(cwd, 'final_ttm_model/forecaster.json'))).toBe(true);
    expect(readdirSync(join(cwd, 'results_ttm_model/evaluations'))).toHaveLength(1);
  });
});
