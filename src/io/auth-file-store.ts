/**
 * Changing the auth file (`ttm keys create | revoke`): read, change, write atomically, so a
 * server reading it sees the old file or the new one. The file keeps only the keys' SHA-256;
 * `createApiKey` returns the secret, which exists nowhere else afterwards.
 */
import { authFileJson, generateApiKey, hashApiKey, readAuthFile, type ApiKeyEntry, type Role } from '../config/auth-file.js';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';

/** Appends a key for `id` with `role`; refuses an id already present. */
export async function createApiKey(file: string, id: string, role: Role, now = new Date()): Promise<{ entry: ApiKeyEntry; key: string }> {
  const auth = await readAuthFile(file, { missingOk: true });
  if (auth.api_keys.some((k) => k.id === id)) {
    throw new ConfigError(`${file}: a key with id "${id}" exists already`, { hint: 'choose another id, or revoke the old key first' });
  }
  const key = generateApiKey();
  const entry: ApiKeyEntry = { id, role, sha256: hashApiKey(key), created_at: now.toISOString() };
  await writeFileAtomic(file, authFileJson({ ...auth, api_keys: [...auth.api_keys, entry] }));
  return { entry, key };
}

/** Removes the key of `id`; refuses an id that is not there. */
export async function revokeApiKey(file: string, id: string): Promise<ApiKeyEntry> {
  const auth = await readAuthFile(file);
  const entry = auth.api_keys.find((k) => k.id === id);
  if (!entry) {
    throw new ConfigError(`${file}: no key with id "${id}" (has: ${auth.api_keys.map((k) => k.id).join(', ') || 'none'})`, { hint: 'list the keys with ttm keys list' });
  }
  await writeFileAtomic(file, authFileJson({ ...auth, api_keys: auth.api_keys.filter((k) => k.id !== id) }));
  return entry;
}
