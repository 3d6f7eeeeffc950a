/** Reads and checks the auth file. TODO(11a): use src/config/auth-file.ts once it lands. */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../errors.js';
import { AuthSettingsSchema, type AuthSettings } from './auth-settings.js';

export async function readAuthSettings(file: string): Promise<AuthSettings> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the auth file (${(err as Error).message})`, { hint: 'create it with: ttm keys create --id NAME --role ROLE --auth FILE' });
  }
  const r = AuthSettingsSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ConfigError(`${file}: ${i.path.join('.') || '(root)'}: ${i.message}`, { hint: '{ "api_keys": [{ "id", "role", "sha256" }], "oidc": { "issuer", "audience", "jwks_uri", "roles_claim" } }' });
  }
  return r.data;
}
