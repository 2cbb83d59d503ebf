import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsList } from '../../functions/integrations-list.js';
import { createJwtVerifier } from '../../shared/identity/jwt.js';
import { principalHeader, useSettings } from '../support/settings.js';

const ISSUER = 'https://issuer.test/tenant/v2.0';
const AUDIENCE = 'api://integrato-test';
let server: Server;
let jwksUri: string;
const keys: JWK[] = [];
type Key = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: Key;
let stranger: Key;

beforeAll(async () => {
  signing = await generateKeyPair('RS256');
  stranger = await generateKeyPair('RS256');
  keys.push({ ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' });
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  // Storage is never reached: every request here is refused (or answered) before it.
  useSettings({ AUTH_MODE: 'jwt', AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS_URI: jwksUri, AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const now = () => Math.floor(Date.now() / 1000);
async function token(options: { kid?: string; key?: Key; iss?: string; aud?: string; exp?: number; nbf?: number; claims?: Record<string, unknown> } = {}) {
  return new SignJWT({ tid: 'tenant-1', oid: 'object-1', ...options.claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setNotBefore(options.nbf ?? now() - 10)
    .setExpirationTime(options.exp ?? now() + 600)
    .sign((options.key ?? signing).privateKey);
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function call(headers: Record<string, string>) {
  const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/integrations', headers });
  const response = await integrationsList.handler(request, new InvocationContext({ functionName: 'integrationsList' }));
  return response as { status: number; headers: Record<string, string>; jsonBody: any };
}

async function expectRefused(headers: Record<string, string>) {
  const res = await call(headers);
  expect(res.status).toBe(401);
  expect(res.headers['Content-Type']).toBe('application/problem+json');
  expect(res.headers['WWW-Authenticate']).toBe('Bearer');
  expect(res.jsonBody).toMatchObject({ status: 401, code: 'unauthenticated' });
  expect(JSON.stringify(res.jsonBody)).not.toMatch(/eyJ|stack|at .*\.ts/);
}

describe('jwt caller identity', () => {
  it('refuses a wrong audience', async () => expectRefused({ authorization: `Bearer ${await token({ aud: 'api://other' })}` }));
  it('refuses a wrong issuer', async () => expectRefused({ authorization: `Bearer ${await token({ iss: 'https://evil.test/v2.0' })}` }));
  it('refuses an expired token (beyond the skew)', async () => expectRefused({ authorization: `Bearer ${await token({ exp: now() - 120, nbf: now() - 600 })}` }));
  it('refuses a token not yet valid (beyond the skew)', async () => expectRefused({ authorization: `Bearer ${await token({ nbf: now() + 300 })}` }));
  it('refuses a bad signature', async () => {
    const good = await token();
    const [h, p] = good.split('.');
    const forged = `${h}.${b64({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), oid: 'someone-else' })}.${good.split('.')[2]}`;
    await expectRefused({ authorization: `Bearer ${forged}` });
  });
  it('refuses alg none', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, exp: now() + 600, tid: 't', oid: 'o' })}.`;
    await expectRefused({ authorization: `Bearer ${unsigned}` });
  });
  it('refuses an unknown kid', async () => expectRefused({ authorization: `Bearer ${await token({ kid: 'nope', key: stranger })}` }));
  it('refuses a malformed header', async () => {
    await expectRefused({ authorization: 'Bearer not-a-jwt' });
    await expectRefused({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    await expectRefused({ authorization: `Bearer ${await token()} extra` });
  });
  it('refuses a missing header', async () => expectRefused({}));
  it('ignores x-ms-client-principal in jwt mode', async () => expectRefused({ 'x-ms-client-principal': principalHeader('tenant-1', 'object-1') }));
  it('refuses a token that names no user', async () => {
    const res = await call({ authorization: `Bearer ${await token({ claims: { oid: undefined, tid: undefined } })}` });
    // jose keeps `sub` absent here, so there is no user to act for
    expect(res.status).toBe(401);
  });
});

describe('the JWT verifier', () => {
  it('accepts a valid token and keys the caller by tenant and object id', async () => {
    const verify = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri, clockSkewSeconds: 60 });
    const a = await verify(`Bearer ${await token()}`);
    const b = await verify(`Bearer ${await token({ claims: { oid: 'object-2' } })}`);
    expect(a.userKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.userKey).not.toBe(b.userKey);
    expect(a.objectId).toBe('object-1');
  });

  it('accepts a token within the clock skew', async () => {
    const verify = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri, clockSkewSeconds: 60 });
    await expect(verify(`Bearer ${await token({ exp: now() - 20, nbf: now() - 600 })}`)).resolves.toMatchObject({ objectId: 'object-1' });
  });

  it('refetches the key set when a token names a kid it has not seen (key rollover)', async () => {
    const verify = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri, clockSkewSeconds: 60, refetchCooldownMs: 0 });
    await verify(`Bearer ${await token()}`); // caches the set with k1 only
    const next = await generateKeyPair('RS256');
    keys.push({ ...(await exportJWK(next.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' });
    await expect(verify(`Bearer ${await token({ kid: 'k2', key: next })}`)).resolves.toMatchObject({ objectId: 'object-1' });
  });
});

describe('when the issuer cannot be reached', () => {
  it('answers 503 service_unavailable, not 401 (users are not sent back to sign-in)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const verify = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: `http://127.0.0.1:${port}/keys`, clockSkewSeconds: 60 });
    await expect(verify(`Bearer ${await token()}`)).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
    const down = createServer((_req, res) => void res.writeHead(502).end());
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const failing = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: `http://127.0.0.1:${(down.address() as AddressInfo).port}/keys`, clockSkewSeconds: 60 });
    await expect(failing(`Bearer ${await token()}`)).rejects.toMatchObject({ status: 503 });
    await new Promise<void>((resolve) => down.close(() => resolve()));
  });

  it('accepts the scheme name in any case', async () => {
    const verify = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri, clockSkewSeconds: 60 });
    await expect(verify(`bearer ${await token()}`)).resolves.toMatchObject({ objectId: 'object-1' });
  });
});
