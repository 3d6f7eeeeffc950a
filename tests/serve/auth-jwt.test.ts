/** Bearer JWTs verified against a local OIDC JWKS endpoint (127.0.0.1), with tokens this test signs. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bearer, makeFixture, type Fixture } from './serve-fixture.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'api://ttm';
let fx: Fixture;
let app: FastifyInstance;
let jwks: Server;
let key: CryptoKey;
let otherKey: CryptoKey;
let jwksHits = 0;
let auditFile: string;

beforeAll(async () => {
  fx = await makeFixture('ttm-serve-jwt-');
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = createServer((req, res) => {
    jwksHits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const port = (jwks.address() as AddressInfo).port;
  auditFile = join(fx.dir, 'audit-jwt.jsonl');
  app = await appFor(fx, {
    audit: auditFile,
    auth: { ...fx.auth, oidc: { issuer: ISSUER, audience: AUDIENCE, jwks_uri: `http://127.0.0.1:${port}/jwks.json`, roles_claim: 'roles' } },
  });
}, 120_000);
afterAll(async () => {
  await app?.close();
  jwks?.close();
  rmSync(fx.dir, { recursive: true, force: true });
});

interface TokenOptions {
  roles?: unknown;
  audience?: string;
  issuer?: string;
  expiresIn?: string | number;
  signWith?: CryptoKey;
  kid?: string;
  sub?: string;
}

function token(o: TokenOptions = {}): Promise<string> {
  const claims: Record<string, unknown> = {};
  if (o.roles !== undefined) claims.roles = o.roles;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'k1' })
    .setSubject(o.sub ?? 'alice@example.test')
    .setIssuer(o.issuer ?? ISSUER)
    .setAudience(o.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(o.expiresIn ?? '1h')
    .sign(o.signWith ?? key);
}

const call = (credential: string, url = '/predict') =>
  url === '/predict'
    ? app.inject({ method: 'POST', url, headers: bearer(credential), payload: { produto_id: 1, regiao_id: 1, horizon: 2 } })
    : app.inject({ method: 'GET', url, headers: bearer(credential) });

describe('OIDC bearer tokens', () => {
  it('a valid token with a role that has the permission is accepted; its subject is audited', async () => {
    const r = await call(await token({ roles: ['business_user'] }));
    expect(r.statusCode, r.body).toBe(200);
    expect(jwksHits).toBeGreaterThan(0);
    const last = readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).at(-1);
    expect(last).toMatchObject({ who: 'sub:alice@example.test', event: 'model_prediction', outcome: 'ok' });
  });

  it('roles map to permissions: data_scientist reads models but may not predict', async () => {
    const t = await token({ roles: ['data_scientist'] });
    expect((await call(t, '/models')).statusCode).toBe(200);
    const r = await call(t);
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('read_predictions') });
  });

  it('a token without any known role is 403 (authenticated, not allowed), but may read /openapi.json', async () => {
    for (const roles of [undefined, [], ['superuser']]) {
      const t = await token({ roles });
      expect((await call(t)).statusCode).toBe(403);
      expect((await call(t, '/openapi.json')).statusCode).toBe(200);
    }
  });

  const rejected: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => token({ roles: ['admin'], expiresIn: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['wrong audience', () => token({ roles: ['admin'], audience: 'api://other' }), /"aud"/],
    ['wrong issuer', () => token({ roles: ['admin'], issuer: 'https://evil.test/' }), /"iss"/],
    ['signed by another key (same kid)', () => token({ roles: ['admin'], signWith: otherKey }), /signature/],
    ['signed by a key the provider does not publish', () => token({ roles: ['admin'], signWith: otherKey, kid: 'k9' }), /does not publish/],
    [
      'alg: none',
      async () => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'mallory', iss: ISSUER, aud: AUDIENCE, exp: now + 600, roles: ['admin'] })}.`;
      },
      /algorithm|not a valid JWT|neither/,
    ],
    ['garbage', async () => 'not.a.jwt', /neither an API key nor a valid JWT/],
  ];
  for (const [name, make, why] of rejected) {
    it(`401 for a token ${name}`, async () => {
      const r = await call(await make());
      expect(r.statusCode, r.body).toBe(401);
      expect(r.json()).toMatchObject({ error: 'unauthorized', message: expect.stringMatching(why), hint: expect.any(String) });
    });
  }

  it('401 bodies never echo the credential; denials are audited as denied', async () => {
    const t = await token({ roles: ['admin'], audience: 'api://other' });
    const r = await call(t);
    expect(r.body).not.toContain(t);
    const text = readFileSync(auditFile, 'utf8');
    expect(text).not.toContain(t);
    expect(text.trim().split('\n').map((l) => JSON.parse(l)).some((e) => e.outcome === 'denied' && e.status === 401)).toBe(true);
  });

  it('503 (not 401) while the identity provider cannot be reached', async () => {
    const down = await appFor(fx, { auth: { ...fx.auth, oidc: { issuer: ISSUER, audience: AUDIENCE, jwks_uri: 'http://127.0.0.1:9/jwks.json', roles_claim: 'roles' } } });
    const r = await down.inject({ method: 'GET', url: '/models', headers: bearer(await token({ roles: ['admin'] })) });
    expect(r.statusCode, r.body).toBe(503);
    expect(r.json().message).toContain('JWKS');
    await down.close();
  });

  it('a malformed Authorization header is 401', async () => {
    const r = await app.inject({ method: 'GET', url: '/models', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toContain('Bearer');
  });
});
