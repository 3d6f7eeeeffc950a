/**
 * deploy/prometheus/alerts.yml checked and unit-tested with Prometheus' own promtool: the rule
 * file parses, and deploy/prometheus/alerts.test.yml feeds series that fire and do not fire each
 * alert. A mutated copy of the rules (each threshold loosened or tightened) must fail those tests,
 * so the tests hold the thresholds in place.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../helpers/run-cli.js';

const DIR = join(REPO, 'deploy/prometheus');
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
const TESTS = ['alerts.test.yml', 'alerts-stale.test.yml'];
const promtool = (...args: string[]) => spawnSync('promtool', args, { encoding: 'utf8', cwd: DIR });

describe.skipIf(!hasPromtool)('deploy/prometheus/alerts.yml (promtool)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ttm-rules-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('passes promtool check rules', () => {
    const r = promtool('check', 'rules', 'alerts.yml');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS: 5 rules found');
  });

  it('passes promtool test rules, with a firing and a quiet case for every alert', () => {
    const r = promtool('test', 'rules', ...TESTS);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const tests = TESTS.flatMap((f) => parse(readFileSync(join(DIR, f), 'utf8')).tests as { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[]);
    const cases = tests.flatMap((t) => t.alert_rule_test);
    const alerts = (parse(readFileSync(join(DIR, 'alerts.yml'), 'utf8')).groups as { rules: { alert: string }[] }[]).flatMap((g) => g.rules.map((x) => x.alert));
    for (const name of alerts) {
      expect(cases.some((c) => c.alertname === name && c.exp_alerts.length > 0), `${name} fires somewhere`).toBe(true);
      expect(cases.some((c) => c.alertname === name && c.exp_alerts.length === 0), `${name} stays quiet somewhere`).toBe(true);
    }
  });

  it.each([
    ['latency threshold', '> 2\n', '> 1.9\n'],
    ['error-rate threshold', '> 0.05', '> 0.03'],
    ['error rate counting 4xx', 'status=~"5.."', 'status=~"[45].."'],
    ['MAPE threshold', 'ttm_evaluation_mape > 0.20', 'ttm_evaluation_mape >= 0.20'],
    ['drift threshold', 'ttm_evaluation_drift_psi > 0.15', 'ttm_evaluation_drift_psi > 0.35'],
    ['staleness', '> 8 * 86400', '> 10 * 86400'],
  ])('fails its unit tests when the %s changes', (_, from, to) => {
    const rules = readFileSync(join(DIR, 'alerts.yml'), 'utf8');
    expect(rules).toContain(from);
    writeFileSync(join(tmp, 'alerts.yml'), rules.replace(from, to));
    for (const f of TESTS) copyFileSync(join(DIR, f), join(tmp, f));
    const r = spawnSync('promtool', ['test', 'rules', ...TESTS], { encoding: 'utf8', cwd: tmp });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('FAILED');
  });
});
