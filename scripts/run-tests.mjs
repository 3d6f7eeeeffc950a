#!/usr/bin/env node
// Runs the test suite and ends with a plain "N passed, N failed" line that CI's log reader
// understands. Exits non-zero when any test failed or when no test ran at all.
// Builds dist/ first, because the end-to-end tests spawn bin/ttm.js.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed (build failed)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'ttm-tests-'));
const report = join(dir, 'report.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0);
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
} catch {
  failed = Math.max(failed, 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const extra = skipped ? ` (${skipped} skipped)` : '';
console.log(`${passed} passed, ${failed} failed${extra}`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
