/**
 * The auth file of `ttm serve --auth FILE` and `ttm keys` (JSON, snake_case; env TTM_AUTH_FILE):
 *
 *   { "api_keys": [ { "id": "alice", "role": "business_user", "sha256": "<hex sha256 of the key>",
 *                     "created_at": "2026-12-01T00:00:00.000Z" } ],
 *     "oidc": { "issuer": "...", "audience": "...", "jwks_uri": "https://.../jwks.json", "roles_claim": "roles" } }
 *
 * Keys are `ttm_` + 43 base64url characters (32 random bytes); the file keeps only their SHA-256,
 * so it is no secret. One schema for the reader (server, `ttm keys`) and the writer (`ttm keys`;
 * the atomic write itself is io/auth-file-store.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { zodIssues } from './zod-issues.js';

/** The design's roles (their permissions are the server's business). */
export const ROLES = ['data_scientist', 'business_user', 'admin', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

export const API_KEY_PREFIX = 'ttm_';
const KEY = /^ttm_[A-Za-z0-9_-]{43}$/;

export const ApiKeyEntrySchema = z.object({
  /** who holds the key: recorded in the audit log, never the secret */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'letters, digits and . _ @ -, up to 64, starting with a letter or digit'),
  role: z.enum(ROLES),
  /** hex SHA-256 of the whole key string (prefix included) */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256 of the key'),
  created_at: z.iso.datetime({ offset: true }).optional(),
});
export type ApiKeyEntry = z.infer<typeof ApiKeyEntrySchema>;

export const OidcSettingsSchema = z.object({
  issuer: z.string().min(1),
  audience: z.string().min(1),
  jwks_uri: z.url(),
  /** the token claim holding the caller's roles */
  roles_claim: z.string().min(1).default('roles'),
});

export const AuthFileSchema = z
  .object({
    api_keys: z.array(ApiKeyEntrySchema).default([]),
    oidc: OidcSettingsSchema.optional(),
  })
  .superRefine((a, ctx) => {
    const seen = new Map<string, number>();
    a.api_keys.forEach((k, i) => {
      if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: ['api_keys', i, 'id'], message: `"${k.id}" already used by api_keys.${seen.get(k.id)}` });
      seen.set(k.id, i);
    });
  });
export type AuthFile = z.infer<typeof AuthFileSchema>;

const HINT = 'an auth file is { "api_keys": [{ "id", "role", "sha256" }], "oidc": { "issuer", "audience", "jwks_uri", "roles_claim" } }; create keys with ttm keys create';

/** Parses auth-file text; errors name the file and the first bad fields. */
export function parseAuthFile(text: string, source = 'auth file'): AuthFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid JSON (${(err as Error).message})`, { hint: HINT });
  }
  const parsed = AuthFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new ConfigError(`${source}: invalid auth file: ${issues}`, { hint: HINT });
  }
  return parsed.data;
}

/** Reads and checks an auth file; with `missingOk`, a file that does not exist is an empty one. */
export async function readAuthFile(file: string, { missingOk = false } = {}): Promise<AuthFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (missingOk && (err as NodeJS.ErrnoException).code === 'ENOENT') return { api_keys: [] };
    throw new ConfigError(`${file}: cannot read the auth file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { hint: HINT });
  }
  return parseAuthFile(text, file);
}

/** The file's text (validated, pretty, final newline). */
export function authFileJson(auth: AuthFile): string {
  return `${JSON.stringify(AuthFileSchema.parse(auth), null, 2)}\n`;
}

/** A fresh API key: `ttm_` + 32 random bytes in base64url (43 characters). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Hex SHA-256 of a key, as the auth file stores it. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Has the shape of a ttm API key (not whether it is valid). */
export const looksLikeApiKey = (s: string): boolean => KEY.test(s);

/** The entry whose hash matches `key`, compared in constant time per entry; undefined if none. */
export function findApiKey(auth: Pick<AuthFile, 'api_keys'>, key: string): ApiKeyEntry | undefined {
  const h = Buffer.from(hashApiKey(key), 'hex');
  let found: ApiKeyEntry | undefined;
  for (const entry of auth.api_keys) if (timingSafeEqual(h, Buffer.from(entry.sha256, 'hex')) && !found) found = entry;
  return found;
}
