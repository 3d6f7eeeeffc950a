import { existsSync, readFileSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError } from '../../src/errors.js';
import { pull, repoCacheDir, type PullEvent } from '../../src/hub/index.js';
import { deadEndpoint, gitBlobId, sha256, startFakeHub, type FakeHub } from './fake-hub.js';

const REAL = new URL('../../../shared/fixtures/ttm/real-r2-finetuned/', import.meta.url);
const hasReal = existsSync(new URL('model.safetensors', REAL));
if (!hasReal) console.log(`hub/pull: ${REAL.pathname} absent, serving synthetic files instead of the real r2 fine-tune`);

/** config.json + model.safetensors: the real fine-tune when present, else a few synthetic bytes. */
function checkpointFiles(): Record<string, Uint8Array> {
  if (hasReal)
    return {
      'config.json': readFileSync(new URL('config.json', REAL)),
      'model.safetensors': readFileSync(new URL('model.safetensors', REAL)),
    };
  const weights = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
  return { 'config.json': Buffer.from('{"context_length": 512, "prediction_length": 96}'), 'model.safetensors': weights };
}

const REPO = 'someone/ttm-finetune';
const COMMIT = 'a'.repeat(40);
const files = checkpointFiles();
let hub: FakeHub;
let cache: string;

beforeEach(async () => {
  hub = await startFakeHub({ [REPO]: { refs: { main: COMMIT }, files } });
  cache = await fs.mkdtemp(join(tmpdir(), 'ttm-hub-'));
});
afterEach(async () => {
  await hub.close();
  await fs.rm(cache, { recursive: true, force: true });
});

const opts = (extra: Record<string, unknown> = {}) => ({
  repo: REPO,
  hub: { endpoint: hub.endpoint, cache, offline: false, token: undefined as string | undefined },
  retryDelayMs: 0,
  ...extra,
});

const startOf = (range?: string) => Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? NaN);

async function expectHubError(p: Promise<unknown>, pattern: RegExp): Promise<HubError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HubError);
  expect((err as HubError).message + ' ' + (err as HubError).hint).toMatch(pattern);
  expect((err as HubError).exitCode).toBe(8);
  return err as HubError;
}

describe('hub/pull', () => {
  it("downloads into huggingface_hub's cache layout and says where", async () => {
    const events: PullEvent[] = [];
    const r = await pull(opts({ onEvent: (e: PullEvent) => events.push(e) }));
    const repoDir = repoCacheDir(cache, REPO);
    expect(repoDir).toBe(join(cache, 'models--someone--ttm-finetune'));
    expect(r).toMatchObject({ repo: REPO, revision: 'main', commit: COMMIT, source: 'network', selection: null });
    expect(r.dir).toBe(join(repoDir, 'snapshots', COMMIT));
    // refs/main holds the commit, no newline
    expect(await fs.readFile(join(repoDir, 'refs', 'main'), 'utf8')).toBe(COMMIT);
    // blobs named by sha256 (LFS) and git blob id; snapshot entries are relative symlinks to them
    const lfs = sha256(files['model.safetensors']);
    const small = gitBlobId(files['config.json']);
    expect((await fs.readdir(join(repoDir, 'blobs'))).sort()).toEqual([lfs, small].sort());
    expect(await fs.readlink(join(r.dir, 'model.safetensors'))).toBe(join('..', '..', 'blobs', lfs));
    expect(await fs.readlink(join(r.dir, 'config.json'))).toBe(join('..', '..', 'blobs', small));
    for (const f of Object.keys(files)) expect(sha256(await fs.readFile(join(r.dir, f)))).toBe(sha256(files[f]));
    expect(r.files.map((f) => [f.name, f.size, f.cached])).toEqual([
      ['config.json', files['config.json'].length, false],
      ['model.safetensors', files['model.safetensors'].length, false],
    ]);
    expect(events.some((e) => e.type === 'file-progress' && e.received === e.total)).toBe(true);
    // the second file was fetched at the commit the first resolved to
    expect(hub.log.filter((l) => l.method === 'HEAD').map((l) => l.url)).toEqual([
      `/${REPO}/resolve/main/config.json`,
      `/${REPO}/resolve/${COMMIT}/model.safetensors`,
    ]);
  });

  it('finds its own download again without fetching the bytes', async () => {
    await pull(opts());
    hub.log.length = 0;
    const r = await pull(opts());
    expect(r.files.every((f) => f.cached)).toBe(true);
    expect(hub.log.filter((l) => l.method === 'GET')).toEqual([]);
  });

  it('resumes with a Range request after the connection drops mid-file', async () => {
    hub.dropAfter = { bytes: 65_536, times: 1 };
    const r = await pull(opts());
    const gets = hub.log.filter((l) => l.method === 'GET' && l.url.startsWith('/cdn/'));
    // undici may hand over slightly fewer bytes than were sent before the drop
    expect(gets.map((g) => g.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    expect(startOf(gets[1].range)).toBeGreaterThan(0);
    expect(sha256(await fs.readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(files['model.safetensors']));
  });

  it('resumes the .incomplete file of an interrupted earlier run', async () => {
    hub.dropAfter = { bytes: 65_536, times: 1 };
    await expectHubError(pull(opts({ retries: 0 })), /download of model.safetensors .* failed after 1 attempt.*\d+ bytes kept.*run the command again to resume/);
    const lfs = sha256(files['model.safetensors']);
    const part = join(repoCacheDir(cache, REPO), 'blobs', `${lfs}.incomplete`);
    const kept = (await fs.stat(part)).size;
    expect(kept).toBeGreaterThan(0);
    hub.log.length = 0;
    await pull(opts());
    expect(hub.log.find((l) => l.url.startsWith('/cdn/'))?.range).toBe(`bytes=${kept}-`);
    expect(existsSync(part)).toBe(false);
  });

  it('gives up on a stalled connection and resumes', async () => {
    hub.stallAfter = { bytes: 4096, times: 1 };
    const r = await pull(opts({ idleTimeoutMs: 200 }));
    const ranges = hub.log.filter((l) => l.url.startsWith('/cdn/')).map((l) => l.range);
    expect(ranges).toEqual([undefined, 'bytes=4096-']); // a stall delivers all it sent
    expect(sha256(await fs.readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(files['model.safetensors']));
  });

  it('starts over when the server ignores the Range request', async () => {
    hub.dropAfter = { bytes: 65_536, times: 1 };
    hub.ignoreRange = true;
    const r = await pull(opts());
    expect(sha256(await fs.readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(files['model.safetensors']));
  });

  it('rejects a file whose sha256 differs and caches nothing as complete', async () => {
    hub.wrongSha = 'f'.repeat(64);
    await expectHubError(pull(opts()), /sha256 [0-9a-f]{64}, expected f{64}/);
    const repoDir = repoCacheDir(cache, REPO);
    expect(await fs.readdir(join(repoDir, 'blobs'))).toEqual([gitBlobId(files['config.json'])]); // the small file only
    expect(existsSync(join(repoDir, 'refs', 'main'))).toBe(false);
    expect(existsSync(join(repoDir, 'snapshots', COMMIT, 'model.safetensors'))).toBe(false);
  });

  it('names an unknown revision on a 404', async () => {
    await expectHubError(pull(opts({ revision: 'no-such-branch' })), /unknown revision "no-such-branch"/);
  });

  it('asks for HF_TOKEN on a 401 and says access is denied on a 403', async () => {
    hub.auth = { token: 'hf_good', forbidden: 'hf_other' };
    await expectHubError(pull(opts()), /HTTP 401.*set HF_TOKEN/);
    const denied = opts();
    denied.hub.token = 'hf_other';
    await expectHubError(pull(denied), /access denied \(HTTP 403.*gated/);
    const ok = opts();
    ok.hub.token = 'hf_good';
    const r = await pull(ok);
    expect(r.commit).toBe(COMMIT);
    expect(hub.log.at(-1)?.authorization).toBe('Bearer hf_good');
  });

  it('says the network is unreachable, and falls back to a cached copy when there is one', async () => {
    const dead = { ...opts(), hub: { endpoint: await deadEndpoint(), cache, offline: false } };
    await expectHubError(pull(dead), /cannot reach http:\/\/127\.0\.0\.1:\d+.*HF_HUB_OFFLINE/);
    await pull(opts());
    const events: PullEvent[] = [];
    const r = await pull({ ...dead, onEvent: (e) => events.push(e) });
    expect(r.source).toBe('cache');
    expect(events.map((e) => e.type)).toContain('cache-fallback');
  });

  it('copies the files into --out', async () => {
    const out = join(cache, 'out');
    const r = await pull(opts({ out }));
    expect(r.dir).toBe(out);
    expect((await fs.lstat(join(out, 'model.safetensors'))).isSymbolicLink()).toBe(false);
    expect(sha256(await fs.readFile(join(out, 'model.safetensors')))).toBe(sha256(files['model.safetensors']));
  });

  it('chooses the TTM revision for context and horizon, as get_model does', async () => {
    const card = 'ibm-granite/granite-timeseries-ttm-r2';
    await hub.close();
    hub = await startFakeHub({ [card]: { refs: { main: 'b'.repeat(40), '90-30-ft-r2.1': COMMIT }, files } });
    const r = await pull({ ...opts(), repo: card, context: 104, horizon: 26, freq: 'W' });
    expect(r).toMatchObject({ revision: '90-30-ft-r2.1', commit: COMMIT });
    expect(r.selection).toMatchObject({ key: '90-30-ft-r2.1', predictionFilterLength: 26 });
    expect(hub.log[0].url).toBe(`/${card}/resolve/90-30-ft-r2.1/config.json`);
    expect(await fs.readFile(join(repoCacheDir(cache, card), 'refs', '90-30-ft-r2.1'), 'utf8')).toBe(COMMIT);
  });
});
