import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startFakeHub, type FakeHub } from './fake-hub.js';

const CARD = 'ibm-granite/granite-timeseries-ttm-r2';
const COMMIT = 'e'.repeat(40);
const config = { context_length: 90, prediction_length: 30, resolution_prefix_tuning: true, frequency_token_vocab_size: 10 };
let hub: FakeHub;
let home: string;
let stdout: string;
let stderr: string;

/** Runs `ttm <args>` in-process with the Hub env pointing at the fake hub. */
async function ttm(args: string[], env: Record<string, string> = {}): Promise<number> {
  stdout = '';
  stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  vi.stubEnv('HF_ENDPOINT', hub.endpoint);
  vi.stubEnv('HF_HOME', home);
  vi.stubEnv('HF_HUB_CACHE', '');
  vi.stubEnv('HF_TOKEN', '');
  vi.stubEnv('HF_HUB_OFFLINE', '');
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  try {
    return await main(['node', 'ttm', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

beforeEach(async () => {
  const files = { 'config.json': Buffer.from(JSON.stringify(config)), 'model.safetensors': Buffer.alloc(4096, 7) };
  hub = await startFakeHub({ [CARD]: { refs: { '90-30-ft-r2.1': COMMIT }, files } });
  home = await fs.mkdtemp(join(tmpdir(), 'ttm-pull-cli-'));
});
afterEach(async () => {
  await hub.close();
  await fs.rm(home, { recursive: true, force: true });
});

describe('ttm pull', () => {
  it('--json prints repo, revision, commit, files, dir and the selection reason', async () => {
    expect(await ttm(['pull', '--json'])).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ repo: CARD, revision: '90-30-ft-r2.1', commit: COMMIT, source: 'network' });
    expect(doc.dir).toBe(join(home, 'hub', 'models--ibm-granite--granite-timeseries-ttm-r2', 'snapshots', COMMIT));
    expect(doc.files.map((f: { name: string }) => f.name)).toEqual(['config.json', 'model.safetensors']);
    expect(doc.selection).toMatchObject({ key: '90-30-ft-r2.1', prediction_filter_length: 26 });
    expect(doc.reason).toMatch(/get_model rule: 90-30-ft-r2.1/);
    expect(doc.adaptation).toMatchObject({ read_last: 90, prediction_filter_length: 26, freq_token: 9 });
    expect(stderr).toMatch(/reads the last 90 of the 104 weeks/);
  });

  it('prints a table and where the files are, then works offline from that cache', async () => {
    expect(await ttm(['pull'])).toBe(0);
    expect(stdout).toMatch(/config\.json/);
    expect(stdout).toMatch(new RegExp(`${CARD}@90-30-ft-r2.1 \\(commit ${COMMIT}\\) in .*snapshots/${COMMIT}`));
    hub.log.length = 0;
    expect(await ttm(['pull', '--json'], { HF_HUB_OFFLINE: '1' })).toBe(0);
    expect(JSON.parse(stdout).source).toBe('cache');
    expect(hub.log).toEqual([]);
  });

  it('exits 8 with the revision named on a 404, and 2 on a bad flag', async () => {
    expect(await ttm(['pull', '--revision', 'nope'])).toBe(8);
    expect(stderr).toMatch(/unknown revision "nope"/);
    expect(await ttm(['pull', '--horizon', '0'])).toBe(2);
  });
});
