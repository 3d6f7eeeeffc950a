/**
 * The huggingface_hub cache layout, so Python and ttm share downloads:
 *
 *   <cache>/models--<owner>--<name>/
 *     blobs/<etag>                 file contents, named by ETag (sha256 for LFS files)
 *     blobs/<etag>.incomplete      a download in progress (resumed with a Range request)
 *     snapshots/<commit>/<file>    symlink to ../../blobs/<etag> (a copy when symlinks fail)
 *     refs/<revision>              the commit a branch or tag pointed to, no newline
 */
import { promises as fs } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { isCommitHash } from './hub-url.js';

/** `<cache>/models--owner--name` */
export function repoCacheDir(cacheDir: string, repo: string): string {
  return join(cacheDir, `models--${repo.split('/').join('--')}`);
}

export function blobPath(repoDir: string, etag: string): string {
  return join(repoDir, 'blobs', etag);
}

export function incompletePath(repoDir: string, etag: string): string {
  return `${blobPath(repoDir, etag)}.incomplete`;
}

export function snapshotDir(repoDir: string, commit: string): string {
  return join(repoDir, 'snapshots', commit);
}

/** ETag as huggingface_hub stores it: no weak prefix, no quotes. */
export function normalizeEtag(raw: string): string {
  return raw.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** The commit a revision resolved to last time, or undefined. A commit id resolves to itself. */
export async function readRef(repoDir: string, revision: string): Promise<string | undefined> {
  if (isCommitHash(revision)) return revision;
  try {
    return (await fs.readFile(join(repoDir, 'refs', revision), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Record that `revision` points at `commit` (nothing to record for a commit id). */
export async function writeRef(repoDir: string, revision: string, commit: string): Promise<void> {
  if (revision === commit) return;
  await writeFileAtomic(join(repoDir, 'refs', revision), commit);
}

/** Make snapshots/<commit>/<file> point at the blob: a relative symlink, else a copy. */
export async function linkSnapshotFile(repoDir: string, commit: string, file: string, etag: string): Promise<string> {
  const target = join(snapshotDir(repoDir, commit), file);
  const blob = blobPath(repoDir, etag);
  await fs.mkdir(dirname(target), { recursive: true });
  await fs.rm(target, { force: true });
  try {
    await fs.symlink(relative(dirname(target), blob), target);
  } catch {
    await fs.copyFile(blob, target);
  }
  return target;
}

/** The cached snapshot of `revision` when it holds every one of `files`, else undefined. */
export async function findCachedSnapshot(
  repoDir: string,
  revision: string,
  files: readonly string[],
): Promise<{ commit: string; dir: string } | undefined> {
  const commit = await readRef(repoDir, revision);
  if (!commit) return undefined;
  const dir = snapshotDir(repoDir, commit);
  for (const f of files) {
    const st = await fs.stat(join(dir, f)).catch(() => undefined); // follows the symlink
    if (!st?.isFile()) return undefined;
  }
  return { commit, dir };
}
