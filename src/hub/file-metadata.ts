/**
 * HEAD of `/<repo>/resolve/<revision>/<file>`, read as huggingface_hub reads it: commit from
 * X-Repo-Commit, ETag from X-Linked-Etag (LFS: the sha256) or ETag, size from X-Linked-Size or
 * Content-Length. Relative redirects (renamed repos) are followed; a redirect to another host
 * (the CDN) is not: its Location is where the GET goes.
 */
import { HubError } from '../errors.js';
import { normalizeEtag } from './cache.js';
import { networkError, statusError, type RequestContext } from './hub-errors.js';

export interface FileMetadata {
  commit: string;
  etag: string;
  size: number;
  /** Where to GET the bytes (the CDN location of a redirect, or the resolve URL). */
  location: string;
}

export interface HttpOptions {
  token?: string;
  /** Milliseconds before a HEAD gives up. */
  timeoutMs?: number;
}

/** Authorization header for `url`, only towards the Hub endpoint's own origin. */
export function authHeaders(url: string, endpointOrigin: string, token?: string): Record<string, string> {
  return token && new URL(url).origin === endpointOrigin ? { authorization: `Bearer ${token}` } : {};
}

export async function fileMetadata(ctx: RequestContext, opts: HttpOptions = {}): Promise<FileMetadata> {
  const origin = new URL(ctx.url).origin;
  let url = ctx.url;
  for (let hop = 0; hop < 5; hop++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'HEAD',
        redirect: 'manual',
        headers: { 'accept-encoding': 'identity', ...authHeaders(url, origin, opts.token) },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw networkError({ ...ctx, url }, err);
    }
    const location = res.headers.get('location');
    const isRedirect = res.status >= 300 && res.status < 400 && location !== null;
    if (isRedirect && !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(location)) {
      url = new URL(location, url).toString(); // relative: same repo under a new name
      continue;
    }
    if (!isRedirect && !res.ok) throw statusError({ ...ctx, url }, res.status, res.headers.get('x-error-code'));
    return readMetadata(ctx, res, isRedirect ? new URL(location, url).toString() : url);
  }
  throw new HubError(`${ctx.repo}: too many redirects resolving ${ctx.file}`, { hint: 'check HF_ENDPOINT' });
}

function readMetadata(ctx: RequestContext, res: Response, location: string): FileMetadata {
  const h = res.headers;
  const commit = h.get('x-repo-commit');
  const rawEtag = h.get('x-linked-etag') ?? h.get('etag');
  const size = Number(h.get('x-linked-size') ?? h.get('content-length'));
  if (!commit || !rawEtag || !Number.isFinite(size))
    throw new HubError(
      `${ctx.url}: the server did not send ${[!commit && 'X-Repo-Commit', !rawEtag && 'ETag', !Number.isFinite(size) && 'a size'].filter(Boolean).join(', ')}`,
      { hint: 'HF_ENDPOINT must point at a Hugging Face Hub (or a mirror that keeps its headers)' },
    );
  return { commit, etag: normalizeEtag(rawEtag), size, location };
}
