/** Names and addresses on the Hugging Face Hub: repo specs, revisions, file URLs. */
import { UsageError } from '../errors.js';

export interface RepoSpec {
  /** owner/name */
  repo: string;
  /** branch, tag or commit, when the spec named one (`owner/name@rev`). */
  revision?: string;
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** True for a string shaped like a Hub repo id (`owner/name`, optionally `@revision`). */
export function looksLikeRepoId(spec: string): boolean {
  const at = spec.indexOf('@');
  return REPO_ID.test(at < 0 ? spec : spec.slice(0, at));
}

/** Split `owner/name[@revision]`. */
export function parseRepoSpec(spec: string): RepoSpec {
  const at = spec.indexOf('@');
  const repo = at < 0 ? spec : spec.slice(0, at);
  const revision = at < 0 ? undefined : spec.slice(at + 1);
  if (!REPO_ID.test(repo) || revision === '')
    throw new UsageError(`"${spec}" is not a Hugging Face repo id`, {
      hint: 'write owner/name or owner/name@revision, e.g. ibm-granite/granite-timeseries-ttm-r2@90-30-ft-r2.1',
    });
  return revision === undefined ? { repo } : { repo, revision };
}

/** A full 40-hex git commit id. */
export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/** `<endpoint>/<repo>/resolve/<revision>/<file>`, the revision quoted as one path segment. */
export function resolveUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
}
