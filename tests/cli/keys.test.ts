/** `ttm keys` through the built CLI. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findApiKey, parseAuthFile } from '../../src/config/auth-file.js';
import { runCli } from '../helpers/run-cli.js';

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ttm-cli-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!built)('ttm keys (built CLI)', () => {
  it('create prints the key once (only its hash is stored), list shows no secrets, revoke removes', () => {
    const file = join(dir, 'auth.json');
    const c = runCli(['keys', 'create', '--id', 'alice', '--role', 'business_user', '--auth', file, '--json']);
    expect(c.code, c.stderr).toBe(0);
    const created = JSON.parse(c.stdout);
    expect(Object.keys(created)).toEqual(['id', 'role', 'key']);
    expect(created.key).toMatch(/^ttm_[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(created.key);
    expect(findApiKey(parseAuthFile(text), created.key)).toMatchObject({ id: 'alice', role: 'business_user' });

    const plain = runCli(['keys', 'create', '--id', 'ops', '--role', 'admin'], { env: { TTM_AUTH_FILE: file } });
    expect(plain.code).toBe(0);
    expect(plain.stdout.trim()).toMatch(/^ttm_[A-Za-z0-9_-]{43}$/); // the key alone on stdout
    expect(plain.stderr).toMatch(/shown once/);

    const l = runCli(['keys', 'list', '--auth', file, '--json']);
    const listed = JSON.parse(l.stdout);
    expect(listed.api_keys.map((k: { id: string; role: string }) => [k.id, k.role])).toEqual([['alice', 'business_user'], ['ops', 'admin']]);
    expect(l.stdout).not.toContain(created.key);
    expect(runCli(['keys', 'list', '--auth', file]).stdout).toMatch(/alice\s+business_user/);

    expect(JSON.parse(runCli(['keys', 'revoke', '--id', 'alice', '--auth', file, '--json']).stdout)).toEqual({ revoked: { id: 'alice', role: 'business_user' } });
    expect(findApiKey(parseAuthFile(readFileSync(file, 'utf8')), created.key)).toBeUndefined();
  });

  it('refuses a bad role, a taken id, an unknown id and a missing --auth (exit 2)', () => {
    const file = join(dir, 'auth2.json');
    const bad = runCli(['keys', 'create', '--id', 'x', '--role', 'root', '--auth', file]);
    expect(bad.code).toBe(2);
    expect(existsSync(file)).toBe(false);
    expect(runCli(['keys', 'create', '--id', 'x', '--role', 'readonly', '--auth', file]).code).toBe(0);
    const taken = runCli(['keys', 'create', '--id', 'x', '--role', 'admin', '--auth', file]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/"x" exists already/);
    expect(runCli(['keys', 'revoke', '--id', 'nobody', '--auth', file]).stderr).toMatch(/no key with id "nobody" \(has: x\)/);
    const none = runCli(['keys', 'list'], { env: { TTM_AUTH_FILE: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/pass --auth FILE/);
  });
});
