/**
 * `pull`: choose the revision (get_model's rule, unless one is given), then make sure the
 * checkpoint's files are in the huggingface_hub cache — from the network, or from the cache
 * alone when offline — and say where they are.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { hubFromEnv, type HubEnv } from '../config/env.js';
import { HubError, UsageError } from '../errors.js';
import { findCachedSnapshot, linkSnapshotFile, repoCacheDir, blobPath, writeRef } from './cache.js';
import { downloadBlob } from './download.js';
import { fileMetadata } from './file-metadata.js';
import { resolveUrl } from './hub-url.js';
import { HubUnreachableError, type RequestContext } from './hub-errors.js';
import { cardFamily, selectCheckpoint } from './select-checkpoint.js';

/** The files of a TTM checkpoint revision that ttm needs. */
export const CHECKPOINT_FILES = ['config.json', 'model.safetensors'] as const;

export interface PullOptions {
  /** owner/name on the Hub. */
  repo: string;
  /** Branch, tag or commit; when absent it is chosen from context and horizon (TTM cards) or is `main`. */
  revision?: string;
  context?: number;
  horizon?: number;
  freq?: string;
  preferL1?: boolean;
  files?: readonly string[];
  /** Also copy the files here; the result's `dir` is then this folder. */
  out?: string;
  /** Overrides of HF_ENDPOINT, HF_HUB_CACHE/HF_HOME, HF_TOKEN, HF_HUB_OFFLINE. */
  hub?: Partial<HubEnv>;
  retries?: number;
  retryDelayMs?: number;
  idleTimeoutMs?: number;
  onEvent?: (event: PullEvent) => void;
}

export type PullEvent =
  | { type: 'selected'; revision: string; reason: string }
  | { type: 'file-start'; file: string; size: number; cached: boolean }
  | { type: 'file-progress'; file: string; received: number; total: number }
  | { type: 'file-done'; file: string; cached: boolean }
  | { type: 'cache-fallback'; reason: string };

export interface PulledFile {
  name: string;
  /** Path inside `dir`. */
  path: string;
  size: number;
  /** sha256 for LFS files, git blob id for small ones; absent when read from the cache offline. */
  etag?: string;
  cached: boolean;
}

export interface PullResult {
  repo: string;
  revision: string;
  commit: string;
  files: PulledFile[];
  /** Folder holding the files: the cache snapshot, or `out`. */
  dir: string;
  /** The cache's snapshot folder (same as dir without `out`). */
  snapshot: string;
  selection: { key: string; reason: string; predictionFilterLength: number | null } | null;
  source: 'network' | 'cache';
}

export async function pull(opts: PullOptions): Promise<PullResult> {
  const hub: HubEnv = { ...hubFromEnv(), ...opts.hub };
  const files = opts.files ?? CHECKPOINT_FILES;
  const { revision, selection } = chooseRevision(opts);
  opts.onEvent?.({ type: 'selected', revision, reason: selection?.reason ?? `revision ${revision}` });
  const repoDir = repoCacheDir(hub.cache, opts.repo);
  const base = { repo: opts.repo, revision, selection };

  if (hub.offline) {
    const hit = await findCachedSnapshot(repoDir, revision, files);
    if (!hit)
      throw new HubError(`offline (HF_HUB_OFFLINE) and ${opts.repo}@${revision} is not in the cache ${repoDir}`, {
        hint: 'unset HF_HUB_OFFLINE to download it, or point HF_HOME (or the cache directory) to where it was downloaded',
        param: 'cache',
      });
    return finish(base, hit.commit, hit.dir, await cachedFiles(hit.dir, files), 'cache', opts.out);
  }

  const origin = new URL(hub.endpoint).origin;
  const pulled: PulledFile[] = [];
  let commit: string | undefined;
  for (const file of files) {
    // The first file resolves the revision to a commit; the others are fetched at that commit.
    const url = resolveUrl(hub.endpoint, opts.repo, commit ?? revision, file);
    const ctx: RequestContext = { repo: opts.repo, revision, file, url, hasToken: Boolean(hub.token) };
    let meta;
    try {
      meta = await fileMetadata(ctx, { token: hub.token });
    } catch (err) {
      const hit = commit ? undefined : await findCachedSnapshot(repoDir, revision, files);
      if (!hit || !(err instanceof HubUnreachableError)) throw err;
      opts.onEvent?.({ type: 'cache-fallback', reason: err.message });
      return finish(base, hit.commit, hit.dir, await cachedFiles(hit.dir, files), 'cache', opts.out);
    }
    commit ??= meta.commit;
    const inSnapshot = await sizeOf(join(repoDir, 'snapshots', commit, file));
    const inBlobs = await sizeOf(blobPath(repoDir, meta.etag));
    const cached = inSnapshot === meta.size || inBlobs === meta.size;
    opts.onEvent?.({ type: 'file-start', file, size: meta.size, cached });
    if (!cached)
      await downloadBlob(ctx, meta, repoDir, {
        token: hub.token,
        endpointOrigin: origin,
        retries: opts.retries,
        retryDelayMs: opts.retryDelayMs,
        idleTimeoutMs: opts.idleTimeoutMs,
        onProgress: (received, total) => opts.onEvent?.({ type: 'file-progress', file, received, total }),
      });
    if (inSnapshot !== meta.size) await linkSnapshotFile(repoDir, commit, file, meta.etag);
    opts.onEvent?.({ type: 'file-done', file, cached });
    pulled.push({ name: file, path: file, size: meta.size, etag: meta.etag, cached });
  }
  if (!commit) throw new UsageError('pull: no files requested');
  await writeRef(repoDir, revision, commit);
  return finish(base, commit, join(repoDir, 'snapshots', commit), pulled, 'network', opts.out);
}

/** Revision to fetch, and get_model's selection when it chose it. */
function chooseRevision(opts: PullOptions): { revision: string; selection: PullResult['selection'] } {
  if (opts.revision) return { revision: opts.revision, selection: null };
  const { context, horizon } = opts;
  if (cardFamily(opts.repo) === 0 || context === undefined || horizon === undefined) return { revision: 'main', selection: null };
  const s = selectCheckpoint({ repo: opts.repo, context, horizon, freq: opts.freq ?? null, preferL1: opts.preferL1 });
  if (s.kind !== 'checkpoint')
    throw new UsageError(`${opts.repo}: ${s.kind === 'none' ? s.message : 'no pretrained checkpoint fits'}`, {
      hint: 'choose other context and horizon values, or name a revision',
      param: 'revision',
    });
  return { revision: s.revision, selection: { key: s.key, reason: s.reason, predictionFilterLength: s.predictionFilterLength } };
}

async function finish(
  base: Pick<PullResult, 'repo' | 'revision' | 'selection'>,
  commit: string,
  snapshot: string,
  files: PulledFile[],
  source: PullResult['source'],
  out: string | undefined,
): Promise<PullResult> {
  if (out) await copyInto(snapshot, out, files);
  return { ...base, commit, files, dir: out ?? snapshot, snapshot, source };
}

async function cachedFiles(dir: string, files: readonly string[]): Promise<PulledFile[]> {
  return Promise.all(files.map(async (name) => ({ name, path: name, size: (await sizeOf(join(dir, name))) ?? 0, cached: true })));
}

/** Plain copies (symlinks resolved), each written beside its target then renamed over it. */
async function copyInto(from: string, out: string, files: PulledFile[]): Promise<void> {
  await fs.mkdir(out, { recursive: true });
  for (const f of files) {
    const tmp = join(out, `.tmp-${f.name}-${process.pid}`);
    await fs.copyFile(join(from, f.path), tmp);
    await fs.rename(tmp, join(out, f.path));
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  return (await fs.stat(path).catch(() => undefined))?.size;
}
