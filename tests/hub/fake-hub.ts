/**
 * A loopback stand-in for the Hugging Face Hub: `/<repo>/resolve/<revision>/<file>` with the
 * Hub's headers. Small files answer directly (ETag = git blob id); `.safetensors` files answer
 * HEAD/GET with a 302 to `/cdn/<sha256>` carrying X-Linked-Etag / X-Linked-Size, as LFS files do.
 * Knobs let a test drop the connection mid-file, lie about the sha256, or demand a token.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  /** revision (branch/tag) → commit */
  refs: Record<string, string>;
  files: Record<string, Uint8Array>;
}

export interface RequestLog {
  method: string;
  url: string;
  range?: string;
  authorization?: string;
}

export interface FakeHub {
  endpoint: string;
  log: RequestLog[];
  /** Drop the next `n` GETs of LFS bytes after this many bytes. */
  dropAfter?: { bytes: number; times: number };
  /** Send this many bytes of the next `times` LFS GETs, then nothing, holding the connection open. */
  stallAfter?: { bytes: number; times: number };
  /** Answer Range requests with the whole file (200), as some proxies do. */
  ignoreRange?: boolean;
  /** Announce this sha256 instead of the real one. */
  wrongSha?: string;
  /** Tokens: undefined = public; otherwise missing/unknown → 401, `forbidden` → 403. */
  auth?: { token: string; forbidden: string };
  close(): Promise<void>;
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const gitBlobId = (b: Uint8Array) =>
  createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
const isLfs = (name: string) => name.endsWith('.safetensors');

export async function startFakeHub(repos: Record<string, FakeRepo>): Promise<FakeHub> {
  const hub: FakeHub = { endpoint: '', log: [], close: async () => undefined };
  const blobs = new Map<string, Uint8Array>();
  for (const r of Object.values(repos)) for (const b of Object.values(r.files)) blobs.set(sha256(b), b);

  const server: Server = createServer((req, res) => {
    hub.log.push({
      method: req.method ?? '',
      url: req.url ?? '',
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    const url = decodeURIComponent(req.url ?? '');
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(url);
    if (cdn) return sendBytes(req, res, blobs.get(cdn[1]), {});
    const m = /^\/(.+?\/.+?)\/resolve\/(.+)\/([^/]+)$/.exec(url);
    const repo = m && repos[m[1]];
    if (!m || !repo) return end(res, 404, { 'x-error-code': 'RepoNotFound' });
    if (hub.auth) {
      const auth = req.headers.authorization;
      if (auth === `Bearer ${hub.auth.forbidden}`) return end(res, 403, {});
      if (auth !== `Bearer ${hub.auth.token}`) return end(res, 401, { 'x-error-code': 'RepoNotFound' });
    }
    const [, , revision, name] = m;
    const commit = Object.values(repo.refs).includes(revision) ? revision : repo.refs[revision];
    if (!commit) return end(res, 404, { 'x-error-code': 'RevisionNotFound' });
    const bytes = repo.files[name];
    if (!bytes) return end(res, 404, { 'x-error-code': 'EntryNotFound', 'x-repo-commit': commit });
    if (isLfs(name)) {
      const sha = sha256(bytes);
      return end(res, 302, {
        location: `${hub.endpoint}/cdn/${sha}`,
        'x-repo-commit': commit,
        'x-linked-etag': `"${hub.wrongSha ?? sha}"`,
        'x-linked-size': String(bytes.length),
      });
    }
    return sendBytes(req, res, bytes, { etag: `"${gitBlobId(bytes)}"`, 'x-repo-commit': commit });
  });

  function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array | undefined, headers: Record<string, string>) {
    if (!bytes) return end(res, 404, {});
    const range = hub.ignoreRange ? undefined : req.headers.range;
    const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
    if (start > bytes.length) return end(res, 416, {});
    const body = bytes.subarray(start);
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'accept-ranges': 'bytes',
      'content-length': String(body.length),
      ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    if (req.method === 'HEAD') return res.end();
    const stall = hub.stallAfter;
    if (stall && stall.times > 0 && body.length > stall.bytes) {
      stall.times--;
      res.write(body.subarray(0, stall.bytes));
      return; // never ends; the client must give up
    }
    const drop = hub.dropAfter;
    if (drop && drop.times > 0 && body.length > drop.bytes) {
      drop.times--;
      res.write(body.subarray(0, drop.bytes), () => res.destroy());
      return;
    }
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return hub;
}

function end(res: ServerResponse, status: number, headers: Record<string, string>) {
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
}

/** An endpoint where nothing listens (a port just released). */
export async function deadEndpoint(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return `http://127.0.0.1:${port}`;
}
