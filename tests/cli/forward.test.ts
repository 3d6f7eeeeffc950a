import { describe, it, expect } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors, serializeSafetensors } from '../../src/io/safetensors.js';
import { caseDir } from '../helpers/fixtures.js';
import { expectClose, FORWARD_TOL, GRAD_TOL } from '../helpers/expect-close.js';
import { runCli } from '../helpers/run-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ttm-fwd-'));

describe('ttm forward', () => {
  it('writes the fixture keys (and gradients) matching the reference, and says which backend ran', () => {
    const dir = caseDir('freq-token')!;
    const out = join(tmp(), 'out.safetensors');
    const r = runCli(['forward', '--model', dir, '--inputs', join(dir, 'inputs.safetensors'), '--out', out, '--grads', '--backend', 'wasm']);
    expect(r.stderr).toMatch(/backend: wasm/);
    expect(r.code).toBe(0);
    const ours = parseSafetensors(readFileSync(out), out).tensors;
    const expected = parseSafetensors(readFileSync(join(dir, 'expected.safetensors')), 'expected').tensors;
    for (const [k, e] of expected) {
      const o = ours.get(k);
      expect(o, k).toBeDefined();
      expect(o!.shape).toEqual(e.shape);
      expectClose(k, o!.data, e.data, k.startsWith('grad.') ? GRAD_TOL : FORWARD_TOL);
    }
  });

  it('an inputs file with the wrong shape: one-line error naming the file, exit 4, no output', () => {
    const dir = caseDir('seed-config')!;
    const inputs = parseSafetensors(readFileSync(join(dir, 'inputs.safetensors')), 'in').tensors;
    const past = inputs.get('past_values')!;
    const bad = new Map([['past_values', { dtype: 'F32' as const, shape: [past.shape[0], 50, 2], data: past.data.slice(0, past.shape[0] * 100) }]]);
    const d = tmp();
    writeFileSync(join(d, 'bad.safetensors'), serializeSafetensors(bad));
    const out = join(d, 'out.safetensors');
    const r = runCli(['forward', '--model', dir, '--inputs', join(d, 'bad.safetensors'), '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/error: .*past_values has shape \[4,50,2\], expected \[batch, ≥104, 2\]/);
    expect(existsSync(out)).toBe(false);
  });

  it('a truncated checkpoint: error naming model.safetensors, exit 4, no output', () => {
    const src = caseDir('seed-config')!;
    const d = tmp();
    copyFileSync(join(src, 'config.json'), join(d, 'config.json'));
    const b = readFileSync(join(src, 'model.safetensors'));
    writeFileSync(join(d, 'model.safetensors'), b.subarray(0, 1000));
    const out = join(d, 'out.safetensors');
    const r = runCli(['forward', '--model', d, '--inputs', join(src, 'inputs.safetensors'), '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/model\.safetensors: .*(truncated|run past)/);
    expect(existsSync(out)).toBe(false);
  });

  it('a config that is not a TTM config: exit 2 naming config.json', () => {
    const src = caseDir('seed-config')!;
    const d = tmp();
    writeFileSync(join(d, 'config.json'), JSON.stringify({ model_type: 'llama' }));
    copyFileSync(join(src, 'model.safetensors'), join(d, 'model.safetensors'));
    const r = runCli(['forward', '--model', d, '--inputs', join(src, 'inputs.safetensors'), '--out', join(d, 'o'), '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.json: model_type is "llama"/);
  });
});

describe('ttm --help', () => {
  it('lists the commands without loading TensorFlow.js', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/forward/);
    expect(r.stdout).toMatch(/info/);
    expect(r.stderr).not.toMatch(/backend:/);
  });

  it('info prints the true trainable counts of the design configuration', () => {
    const r = runCli(['info', '--json', '--backend', 'cpu']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    const meta = JSON.parse(readFileSync(join(caseDir('seed-config')!, 'meta.json'), 'utf8'));
    expect(info.total).toBe(meta.param_counts.total);
    expect(info.trainable['fc1-fc2'].count).toBe(meta.param_counts.fc1_fc2);
    expect(info.trainable.all.count).toBe(meta.param_counts.total);
  });
});
