/**
 * Credentials → a Principal. API keys (`ttm_…`, in `Authorization: Bearer` or `X-API-Key`) are
 * looked up by their SHA-256; anything else after `Bearer ` is a JWT verified against the OIDC
 * provider's JWKS (signature, issuer, audience, expiry), its roles read from a claim.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { API_KEY_PREFIX, findApiKey, type AuthFile } from '../../config/auth-file.js';
import { isRole, type Role } from './permissions.js';
import type { Principal } from './principal.js';

/** A credential that is missing or does not verify (HTTP 401). */
export class Unauthenticated extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The credential could not be checked now: the identity provider's keys cannot be fetched (HTTP 503). */
export class AuthUnavailable extends Error {}

export interface Headers {
  authorization?: string | string[];
  'x-api-key'?: string | string[];
}

export type Authenticator = (headers: Headers) => Promise<Principal>;

const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

const KEY_HINT = 'send Authorization: Bearer ttm_… (or X-API-Key) with a key from `ttm keys create`, or an OIDC access token';

/** Roles from the claim at `path` ("roles", or a dotted path such as "realm_access.roles"). */
function rolesFrom(payload: JWTPayload, path: string): Role[] {
  let v: unknown = payload;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,]+/) : [];
  return [...new Set(list.filter(isRole))];
}

function tokenFailure(err: unknown): Unauthenticated | AuthUnavailable {
  const hint = 'get a fresh access token from the identity provider for this API';
  if (err instanceof joseErrors.JWTExpired) return new Unauthenticated('the token has expired', hint);
  if (err instanceof joseErrors.JWTClaimValidationFailed) return new Unauthenticated(`the token's "${err.claim}" claim is not accepted (${err.reason})`, hint);
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return new Unauthenticated('the token signature does not verify', hint);
  if (err instanceof joseErrors.JWKSNoMatchingKey) return new Unauthenticated('the token is signed with a key the identity provider does not publish', hint);
  if (err instanceof joseErrors.JOSEAlgNotAllowed || err instanceof joseErrors.JOSENotSupported) return new Unauthenticated('the token algorithm is not accepted', hint);
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || !(err instanceof joseErrors.JOSEError)) {
    return new AuthUnavailable(`the identity provider's keys (JWKS) cannot be fetched: ${(err as Error).message}`);
  }
  return new Unauthenticated('the bearer credential is neither an API key nor a valid JWT', KEY_HINT);
}

export function createAuthenticator(settings: AuthFile): Authenticator {
  const oidc = settings.oidc;
  const jwks = oidc ? createRemoteJWKSet(new URL(oidc.jwks_uri), { timeoutDuration: 5000, cooldownDuration: 30_000 }) : undefined;

  const byKey = (key: string): Principal => {
    const entry = findApiKey(settings, key);
    if (!entry) throw new Unauthenticated('unknown API key', KEY_HINT);
    return { who: `key:${entry.id}`, kind: 'api_key', roles: [entry.role] };
  };

  return async (headers) => {
    const apiKey = one(headers['x-api-key']);
    if (apiKey !== undefined) return byKey(apiKey.trim());
    const auth = one(headers.authorization);
    if (auth === undefined || auth.trim() === '') throw new Unauthenticated('no credential', KEY_HINT);
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) throw new Unauthenticated('the Authorization header is not "Bearer <credential>"', KEY_HINT);
    const credential = m[1];
    if (credential.startsWith(API_KEY_PREFIX)) return byKey(credential);
    if (!oidc || !jwks) throw new Unauthenticated('bearer tokens are not accepted: no OIDC provider is configured', 'use an API key (ttm_…)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(credential, jwks, { issuer: oidc.issuer, audience: oidc.audience, requiredClaims: ['exp', 'sub'] }));
    } catch (err) {
      throw tokenFailure(err);
    }
    return { who: `sub:${payload.sub}`, kind: 'jwt', roles: rolesFrom(payload, oidc.roles_claim) };
  };
}
