import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/errors.js';
import { resolvePretrained } from '../../src/hub/index.js';
import { startFakeHub, type FakeHub } from './fake-hub.js';

const CARD = 'ibm-granite/granite-timeseries-ttm-r2';
const COMMIT = 'c'.repeat(40);
let hub: FakeHub;
let tmp: string;

beforeEach(async () => {
  const files = { 'config.json': Buffer.from('{}'), 'model.safetensors': Buffer.from('weights') };
  hub = await startFakeHub({ [CARD]: { refs: { '90-30-ft-r2.1': COMMIT, '512-96-ft-r2.1': 'd'.repeat(40) }, files } });
  tmp = await fs.mkdtemp(join(tmpdir(), 'ttm-pretrained-'));
});
afterEach(async () => {
  await hub.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('hub/resolve-pretrained', () => {
  it('uses a directory as it is', async () => {
    expect(await resolvePretrained(tmp, { context: 104, horizon: 26 })).toEqual({ dir: tmp, source: 'directory' });
  });

  it('pulls a repo id at the revision chosen for the data', async () => {
    const r = await resolvePretrained(CARD, { context: 104, horizon: 26, freq: 'W' }, { hub: { endpoint: hub.endpoint, cache: tmp, offline: false } });
    expect(r.source).toBe('hub');
    expect(r.pulled).toMatchObject({ revision: '90-30-ft-r2.1', commit: COMMIT });
    expect(r.dir).toBe(join(tmp, 'models--ibm-granite--granite-timeseries-ttm-r2', 'snapshots', COMMIT));
  });

  it('honours an explicit @revision', async () => {
    const r = await resolvePretrained(`${CARD}@512-96-ft-r2.1`, { context: 104, horizon: 26 }, { hub: { endpoint: hub.endpoint, cache: tmp, offline: false } });
    expect(r.pulled).toMatchObject({ revision: '512-96-ft-r2.1', commit: 'd'.repeat(40), selection: null });
  });

  it('says when a path is neither a directory nor a repo id', async () => {
    await expect(resolvePretrained('./no/such/dir', { context: 104, horizon: 26 })).rejects.toThrow(CheckpointError);
    await fs.writeFile(join(tmp, 'file'), '');
    await expect(resolvePretrained(join(tmp, 'file'), { context: 104, horizon: 26 })).rejects.toThrow(/not a directory/);
  });
});
