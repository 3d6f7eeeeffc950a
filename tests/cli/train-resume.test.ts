/**
 * A run killed with SIGKILL mid-epoch and resumed ends with the same final weights as an
 * uninterrupted run with the same seed. Both train on two threads (data-parallel shards), the
 * default on a machine with two cores, so the worker path is deterministic too.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynth } from '../../src/data/index.js';
import { BIN, REPO, runCli } from '../helpers/run-cli.js';

const ARGS = ['--context', '32', '--horizon', '8', '--epochs', '2', '--batch-size', '16', '--seed', '7', '--checkpoint-every', '4', '--min-context', '16', '--backend', 'cpu', '--threads', '2', '--json'];

function checkpointSteps(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => /^checkpoint-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && existsSync(join(dir, m[0], 'checkpoint.json')))
    .map((m) => Number(m[1]));
}

describe('ttm train --resume', () => {
  it('after kill -9 mid-epoch, finishes with the same weights as an uninterrupted run', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ttm-resume-'));
    const data = join(work, 'd.csv');
    await writeSynth(data, { products: 3, regions: 2, weeks: 70, seed: 5 });
    const a = runCli(['train', '--data', data, '--output', join(work, 'A'), '--results', join(work, 'RA'), ...ARGS]);
    expect(a.code, a.stderr).toBe(0);
    const lines = a.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const start = lines.find((l) => l.type === 'start');
    expect(lines.find((l) => l.type === 'threads')?.threads).toBe(2);
    expect(start.steps_per_epoch).toBeGreaterThan(6); // JSON Lines keys are snake_case

    // Run B: kill it as soon as a mid-epoch checkpoint of the second epoch exists.
    const resultsB = join(work, 'RB');
    const child = spawn(process.execPath, [BIN, 'train', '--data', data, '--output', join(work, 'B'), '--results', resultsB, ...ARGS], { cwd: REPO, stdio: 'ignore' });
    const target = start.steps_per_epoch + 4;
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (checkpointSteps(resultsB).some((s) => s >= target)) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('run B finished before it could be killed'));
      });
    });
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(join(work, 'B'))).toBe(false); // no half-written final model
    const killedAt = Math.max(...checkpointSteps(resultsB));
    expect(killedAt % start.steps_per_epoch).not.toBe(0);

    const b = runCli(['train', '--data', data, '--output', join(work, 'B'), '--results', resultsB, '--resume', ...ARGS]);
    expect(b.code, b.stderr).toBe(0);
    const resumed = b.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.type === 'start');
    expect(resumed.resumed_from_step).toBeGreaterThanOrEqual(killedAt);
    expect(Buffer.compare(readFileSync(join(work, 'A', 'model.safetensors')), readFileSync(join(work, 'B', 'model.safetensors')))).toBe(0);
  });
});
