import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authFileJson, findApiKey, generateApiKey, hashApiKey, looksLikeApiKey, parseAuthFile, readAuthFile } from '../../src/config/auth-file.js';
import { ConfigError } from '../../src/errors.js';
import { createApiKey, revokeApiKey } from '../../src/io/auth-file-store.js';

const dir = mkdtempSync(join(tmpdir(), 'ttm-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('auth file', () => {
  it('keys are ttm_ + 43 base64url characters, all different; the file stores their SHA-256', () => {
    const keys = Array.from({ length: 50 }, generateApiKey);
    for (const k of keys) expect(k).toMatch(/^ttm_[A-Za-z0-9_-]{43}$/);
    expect(new Set(keys).size).toBe(50);
    expect(looksLikeApiKey(keys[0])).toBe(true);
    expect(looksLikeApiKey('ttm_short')).toBe(false);
    expect(hashApiKey(keys[0])).toBe(createHash('sha256').update(keys[0]).digest('hex'));
  });

  it('parses the contract shape and finds a key by its hash', () => {
    const key = generateApiKey();
    const text = JSON.stringify({
      api_keys: [{ id: 'alice', role: 'business_user', sha256: hashApiKey(key) }],
      oidc: { issuer: 'https://idp.example', audience: 'ttm', jwks_uri: 'http://127.0.0.1:9/jwks.json' },
    });
    const auth = parseAuthFile(text, 'a.json');
    expect(auth.oidc?.roles_claim).toBe('roles');
    expect(findApiKey(auth, key)?.id).toBe('alice');
    expect(findApiKey(auth, generateApiKey())).toBeUndefined();
    expect(parseAuthFile(authFileJson(auth))).toEqual(auth);
  });

  it.each([
    ['not JSON', '{', /a.json: not valid JSON/],
    ['an unknown role', JSON.stringify({ api_keys: [{ id: 'a', role: 'root', sha256: 'a'.repeat(64) }] }), /api_keys.0.role/],
    ['a short hash', JSON.stringify({ api_keys: [{ id: 'a', role: 'admin', sha256: 'abc' }] }), /api_keys.0.sha256: lower-case hex SHA-256/],
    ['a duplicate id', JSON.stringify({ api_keys: [{ id: 'a', role: 'admin', sha256: 'a'.repeat(64) }, { id: 'a', role: 'readonly', sha256: 'b'.repeat(64) }] }), /api_keys.1.id: "a" already used/],
    ['a jwks_uri that is no URL', JSON.stringify({ oidc: { issuer: 'i', audience: 'a', jwks_uri: 'nope' } }), /oidc.jwks_uri/],
  ])('rejects %s with a ConfigError naming the field', (_n, text, message) => {
    expect(() => parseAuthFile(text, 'a.json')).toThrow(message);
    expect(() => parseAuthFile(text, 'a.json')).toThrow(ConfigError);
  });

  it('create appends atomically (the secret is nowhere in the file), refuses a taken id; revoke removes', async () => {
    const file = join(dir, 'sub', 'auth.json');
    const a = await createApiKey(file, 'alice', 'business_user');
    const b = await createApiKey(file, 'bob', 'admin');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(a.key);
    expect(text).not.toContain(b.key);
    const auth = await readAuthFile(file);
    expect(auth.api_keys.map((k) => [k.id, k.role])).toEqual([['alice', 'business_user'], ['bob', 'admin']]);
    expect(findApiKey(auth, b.key)?.id).toBe('bob');
    await expect(createApiKey(file, 'alice', 'readonly')).rejects.toThrow(/"alice" exists already/);
    expect((await revokeApiKey(file, 'alice')).role).toBe('business_user');
    expect(findApiKey(await readAuthFile(file), a.key)).toBeUndefined();
    await expect(revokeApiKey(file, 'alice')).rejects.toThrow(/no key with id "alice" \(has: bob\)/);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['auth.json']); // no temporary left
  });

  it('keeps the oidc section when keys change; a missing file reads as empty only when allowed', async () => {
    const file = join(dir, 'with-oidc.json');
    writeFileSync(file, JSON.stringify({ oidc: { issuer: 'i', audience: 'a', jwks_uri: 'http://127.0.0.1:1/j', roles_claim: 'groups' } }));
    await createApiKey(file, 'svc', 'readonly');
    expect((await readAuthFile(file)).oidc?.roles_claim).toBe('groups');
    await expect(readAuthFile(join(dir, 'none.json'))).rejects.toThrow(/cannot read the auth file/);
    expect(await readAuthFile(join(dir, 'none.json'), { missingOk: true })).toEqual({ api_keys: [] });
  });
});
