/**
 * Download one blob into the cache: bytes go to `blobs/<etag>.incomplete`, a dropped connection
 * or an earlier interrupted run resumes with `Range: bytes=<have>-`, and only a file of the
 * announced size (and sha256, when the ETag is one) is renamed to `blobs/<etag>`.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { HubError } from '../errors.js';
import { blobPath, incompletePath } from './cache.js';
import { authHeaders, type FileMetadata } from './file-metadata.js';
import { statusError, type RequestContext } from './hub-errors.js';

export interface DownloadOptions {
  token?: string;
  /** Origin of HF_ENDPOINT: the token is sent there only, never to a CDN. */
  endpointOrigin: string;
  /** Further attempts after a dropped connection (each resumes). */
  retries?: number;
  retryDelayMs?: number;
  /** Give up on a connection that sends nothing for this long (then resume). Default 30 s. */
  idleTimeoutMs?: number;
  onProgress?: (received: number, total: number) => void;
}

/** Fetch `meta.location` into `blobs/<etag>` of `repoDir`; returns the blob's path. */
export async function downloadBlob(ctx: RequestContext, meta: FileMetadata, repoDir: string, opts: DownloadOptions): Promise<string> {
  const part = incompletePath(repoDir, meta.etag);
  await fs.mkdir(dirname(part), { recursive: true });
  const retries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchRemainder({ ...ctx, url: meta.location }, meta, part, opts);
      break;
    } catch (err) {
      // HubErrors (HTTP statuses) are final; anything else is a dropped or refused connection.
      if (err instanceof HubError) throw err;
      if (attempt >= retries) throw interrupted(ctx, part, attempt + 1, err);
      await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 500 * (attempt + 1)));
    }
  }
  await verify(ctx, meta, part);
  const blob = blobPath(repoDir, meta.etag);
  await fs.rename(part, blob);
  return blob;
}

/** Append the missing bytes of the file to `part`, asking for them with a Range request. */
async function fetchRemainder(ctx: RequestContext, meta: FileMetadata, part: string, opts: DownloadOptions): Promise<void> {
  let have = (await fs.stat(part).catch(() => undefined))?.size ?? 0;
  if (have > meta.size) {
    await fs.truncate(part, 0);
    have = 0;
  }
  if (have === meta.size) return;
  // Abort when no byte arrives for idleTimeoutMs: a stalled connection is retried like a dropped one.
  const abort = new AbortController();
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  let timer = setTimeout(() => abort.abort(new Error(`no data for ${idleMs} ms`)), idleMs);
  const fh = await fs.open(part, 'a');
  try {
    const res = await fetch(ctx.url, {
      signal: abort.signal,
      headers: {
        'accept-encoding': 'identity',
        ...(have > 0 ? { range: `bytes=${have}-` } : {}),
        ...authHeaders(ctx.url, opts.endpointOrigin, opts.token),
      },
    });
    if (res.status === 416) {
      await fh.truncate(0); // our partial file does not belong to this blob
      throw new Error('range not satisfiable, restarting');
    }
    if (!res.ok) throw statusError(ctx, res.status, res.headers.get('x-error-code'));
    if (have > 0 && res.status !== 206) {
      await fh.truncate(0); // the server ignored Range: start over
      have = 0;
    }
    opts.onProgress?.(have, meta.size);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(new Error(`no data for ${idleMs} ms`)), idleMs);
      await fh.write(chunk);
      have += chunk.length;
      opts.onProgress?.(have, meta.size);
    }
    if (have < meta.size) throw new Error(`connection closed after ${have} of ${meta.size} bytes`);
  } finally {
    clearTimeout(timer);
    await fh.close();
  }
}

async function interrupted(ctx: RequestContext, part: string, attempts: number, err: unknown): Promise<HubError> {
  const have = (await fs.stat(part).catch(() => undefined))?.size ?? 0;
  const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (err instanceof Error ? err.message : String(err));
  return new HubError(`${ctx.repo}@${ctx.revision}: download of ${ctx.file} from ${new URL(ctx.url).origin} failed after ${attempts} attempt(s) (${cause}); ${have} bytes kept`, {
    hint: 'run the command again to resume; check the network connection and HF_ENDPOINT',
    cause: err,
  });
}

/** Size must match; so must the sha256 when the ETag is one (LFS files). Failure removes the part. */
async function verify(ctx: RequestContext, meta: FileMetadata, part: string): Promise<void> {
  const size = (await fs.stat(part)).size;
  const fail = async (what: string) => {
    await fs.rm(part, { force: true });
    return new HubError(`${ctx.repo}@${ctx.revision}: ${ctx.file} ${what}; the download was discarded`, {
      hint: 'run the command again to download it afresh; if it keeps failing, the server or a proxy alters the file',
    });
  };
  if (size !== meta.size) throw await fail(`has ${size} bytes, the server announced ${meta.size}`);
  if (/^[0-9a-f]{64}$/.test(meta.etag)) {
    const sha = await sha256File(part);
    if (sha !== meta.etag) throw await fail(`has sha256 ${sha}, expected ${meta.etag}`);
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash: Hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
