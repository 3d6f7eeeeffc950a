/** HubErrors for what goes wrong talking to the Hub: no network, 401, 403, 404, other statuses. */
import { HubError } from '../errors.js';

export interface RequestContext {
  repo: string;
  revision: string;
  file: string;
  url: string;
  hasToken: boolean;
}

/** The Hub could not be reached at all; a cached copy may stand in. */
export class HubUnreachableError extends HubError {}

/** fetch threw before any response: DNS, refused connection, timeout. */
export function networkError(ctx: RequestContext, err: unknown): HubUnreachableError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new HubUnreachableError(`cannot reach ${new URL(ctx.url).origin} for ${ctx.repo}@${ctx.revision} ${ctx.file} (${why})`, {
    hint: 'check the network connection and HF_ENDPOINT; with HF_HUB_OFFLINE=1 ttm uses files already in the cache',
    cause: err,
  });
}

/** A non-success HTTP status, read with the Hub's X-Error-Code header when present. */
export function statusError(ctx: RequestContext, status: number, errorCode: string | null): HubError {
  const where = `${ctx.repo}@${ctx.revision}`;
  if (status === 401)
    return new HubError(`${ctx.repo}: not found, or authentication required (HTTP 401 for ${ctx.file})`, {
      hint: ctx.hasToken
        ? 'HF_TOKEN was rejected: check that it is valid and not expired; also check the repo name'
        : 'check the repo name; if the repo is private or gated, set HF_TOKEN to a token with read access',
    });
  if (status === 403)
    return new HubError(`${ctx.repo}: access denied (HTTP 403 for ${ctx.file})`, {
      hint: "for a gated model accept its conditions on the model's Hub page, and use an HF_TOKEN with read access to it",
    });
  if (status === 404) {
    if (errorCode === 'EntryNotFound')
      return new HubError(`${where}: file ${ctx.file} not found (HTTP 404)`, {
        hint: 'a TTM checkpoint revision holds config.json and model.safetensors; check the revision',
      });
    if (errorCode === 'RepoNotFound')
      return new HubError(`${ctx.repo}: repository not found (HTTP 404)`, { hint: 'check the repo id (owner/name)' });
    return new HubError(`${ctx.repo}: unknown revision "${ctx.revision}" (HTTP 404 for ${ctx.file})`, {
      hint: 'check the branch or tag name; TTM revisions look like 90-30-ft-r2.1 or main, or leave the revision out to choose one by context and horizon',
      param: 'revision',
    });
  }
  return new HubError(`${where}: HTTP ${status} fetching ${ctx.file} from ${new URL(ctx.url).origin}`, {
    hint: status >= 500 ? 'the server had a problem; try again later' : 'check HF_ENDPOINT and the repo id',
  });
}
