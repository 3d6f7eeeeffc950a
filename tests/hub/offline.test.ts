import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors.js';
import { pull } from '../../src/hub/index.js';
import { deadEndpoint, gitBlobId, sha256 } from './fake-hub.js';

const REPO = 'ibm-granite/granite-timeseries-ttm-r2';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const config = Buffer.from('{"context_length": 90, "prediction_length": 30}');
const weights = Buffer.from('not really safetensors, but bytes all the same');
let cache: string;

/** A cache laid out as huggingface_hub writes it (hf_hub_download of revision 90-30-ft-r2.1). */
async function writePythonCache(root: string): Promise<void> {
  const repoDir = join(root, 'models--ibm-granite--granite-timeseries-ttm-r2');
  await fs.mkdir(join(repoDir, 'blobs'), { recursive: true });
  await fs.mkdir(join(repoDir, 'refs'), { recursive: true });
  await fs.mkdir(join(repoDir, 'snapshots', COMMIT), { recursive: true });
  await fs.mkdir(join(root, '.locks', 'models--ibm-granite--granite-timeseries-ttm-r2'), { recursive: true });
  await fs.writeFile(join(repoDir, 'refs', '90-30-ft-r2.1'), COMMIT);
  for (const [name, bytes, etag] of [
    ['config.json', config, gitBlobId(config)],
    ['model.safetensors', weights, sha256(weights)],
  ] as const) {
    await fs.writeFile(join(repoDir, 'blobs', etag), bytes);
    await fs.symlink(`../../blobs/${etag}`, join(repoDir, 'snapshots', COMMIT, name));
  }
}

beforeEach(async () => {
  cache = await fs.mkdtemp(join(tmpdir(), 'ttm-hub-offline-'));
});
afterEach(async () => {
  await fs.rm(cache, { recursive: true, force: true });
});

describe('hub/pull offline (HF_HUB_OFFLINE=1)', () => {
  it("finds a checkpoint Python's huggingface_hub downloaded, without any request", async () => {
    await writePythonCache(cache);
    const hub = { endpoint: await deadEndpoint(), cache, offline: true };
    const r = await pull({ repo: REPO, context: 104, horizon: 26, hub });
    expect(r).toMatchObject({ revision: '90-30-ft-r2.1', commit: COMMIT, source: 'cache' });
    expect(r.dir).toBe(join(cache, 'models--ibm-granite--granite-timeseries-ttm-r2', 'snapshots', COMMIT));
    expect(await fs.readFile(join(r.dir, 'config.json'))).toEqual(config);
    expect(r.files.map((f) => f.size)).toEqual([config.length, weights.length]);
  });

  it('accepts a commit id as the revision', async () => {
    await writePythonCache(cache);
    const r = await pull({ repo: REPO, revision: COMMIT, hub: { endpoint: await deadEndpoint(), cache, offline: true } });
    expect(r.commit).toBe(COMMIT);
  });

  it('says what is missing when the cache does not hold the revision', async () => {
    await writePythonCache(cache);
    const err = await pull({ repo: REPO, revision: 'main', hub: { endpoint: await deadEndpoint(), cache, offline: true } }).catch((e) => e);
    expect(err).toBeInstanceOf(HubError);
    expect(err.message).toMatch(/offline .* ibm-granite\/granite-timeseries-ttm-r2@main is not in the cache/);
    expect(err.hint).toMatch(/HF_HUB_OFFLINE/);
  });
});
