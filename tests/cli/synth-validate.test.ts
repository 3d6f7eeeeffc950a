import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/ttm.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ttm-cli-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ttm(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!existsSync(new URL('../../dist/cli/main.js', import.meta.url)))('ttm synth and ttm validate', () => {
  const clean = join(dir, 'clean.csv');
  const flawed = join(dir, 'flawed.csv');

  it('synth writes the file and reports it as JSON; the same seed gives the same bytes', () => {
    const r = ttm('synth', '--out', clean, '--products', '20', '--weeks', '140', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ out: clean, rows: 20 * 6 * 140, series: 120, seed: 42, flaws: null });
    const again = join(dir, 'again.csv');
    expect(ttm('synth', '--out', again, '--products', '20', '--weeks', '140').code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(clean, 'utf8'));
  });

  it('validate exits 0 on clean data, with a table or one JSON document', () => {
    const table = ttm('validate', '--data', clean, '--as-of', '2025-09-01');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/completeness\s+pass/);
    expect(table.stdout).toContain('all rules pass');
    const json = ttm('validate', '--data', clean, '--as-of', '2025-09-01', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.passed).toBe(true);
    expect(report.rules).toHaveLength(6);
  });

  it('validate exits 6 on flawed data and says which rules failed, per series', () => {
    expect(ttm('synth', '--out', flawed, '--products', '20', '--weeks', '140', '--flaws').code).toBe(0);
    const r = ttm('validate', '--data', flawed, '--as-of', '2025-09-01', '--json');
    expect(r.code).toBe(6);
    const report = JSON.parse(r.stdout);
    expect(report.passed).toBe(false);
    const dup = report.rules.find((x: { rule: string }) => x.rule === 'duplicates');
    expect(dup.passed).toBe(false);
    expect(dup.series[0]).toHaveProperty('produto');
    const stale = ttm('validate', '--data', clean, '--as-of', '2026-06-01');
    expect(stale.code).toBe(6);
    expect(stale.stdout).toMatch(/timeliness\s+FAIL/);
  });

  it('a parse error exits 3 with file:line:column on stderr and nothing on stdout', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'date,produto_cat,uf_cat,vendas,faturamento\n2024-01-01,1,1,x,2\n');
    const r = ttm('validate', '--data', bad, '--json');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}:2:4: column "vendas"`);
  });

  it('bad flag values exit 2; a failed synth leaves nothing behind', () => {
    expect(ttm('validate', '--data', clean, '--as-of', '2025-13-01').code).toBe(2);
    expect(ttm('validate', '--data', clean, '--missing', 'maybe').code).toBe(2);
    const before = readdirSync(dir).sort();
    const r = ttm('synth', '--out', join(dir, 'never.csv'), '--weeks', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--weeks');
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
