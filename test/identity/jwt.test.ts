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
const SPA = '11111111-2222-3333-4444-555555555555';
const base = { issuer: ISSUER, audience: AUDIENCE, clockSkewSeconds: 60, requiredScope: 'access_as_user' };
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
  useSettings({
    AUTH_MODE: 'jwt',
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_JWKS_URI: jwksUri,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const now = () => Math.floor(Date.now() / 1000);
async function token(
  options: {
    kid?: string;
    key?: Key;
    iss?: string;
    aud?: string;
    exp?: number;
    nbf?: number;
    claims?: Record<string, unknown>;
  } = {},
) {
  // A delegated access token of the SPA for this API, as Entra mints it.
  return new SignJWT({ tid: 'tenant-1', oid: 'object-1', scp: 'access_as_user', azp: SPA, ...options.claims })
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
  return response as { status: number; headers: Record<string, string>; jsonBody: unknown };
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
  it('refuses a wrong audience', async () =>
    expectRefused({ authorization: `Bearer ${await token({ aud: 'api://other' })}` }));
  it('refuses a wrong issuer', async () =>
    expectRefused({ authorization: `Bearer ${await token({ iss: 'https://evil.test/v2.0' })}` }));
  it('refuses an expired token (beyond the skew)', async () =>
    expectRefused({ authorization: `Bearer ${await token({ exp: now() - 120, nbf: now() - 600 })}` }));
  it('refuses a token not yet valid (beyond the skew)', async () =>
    expectRefused({ authorization: `Bearer ${await token({ nbf: now() + 300 })}` }));
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
  it('refuses an unknown kid', async () =>
    expectRefused({ authorization: `Bearer ${await token({ kid: 'nope', key: stranger })}` }));
  it('refuses a malformed header', async () => {
    await expectRefused({ authorization: 'Bearer not-a-jwt' });
    await expectRefused({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    await expectRefused({ authorization: `Bearer ${await token()} extra` });
  });
  it('refuses a missing header', async () => expectRefused({}));
  it('ignores x-ms-client-principal in jwt mode', async () =>
    expectRefused({ 'x-ms-client-principal': principalHeader('tenant-1', 'object-1') }));
  it('refuses a token that names no user', async () => {
    const res = await call({ authorization: `Bearer ${await token({ claims: { oid: undefined, tid: undefined } })}` });
    // jose keeps `sub` absent here, so there is no user to act for
    expect(res.status).toBe(401);
  });
});

describe('the JWT verifier', () => {
  it('accepts a valid token and keys the caller by tenant and object id', async () => {
    const verify = createJwtVerifier({ ...base, jwksUri });
    const a = await verify(`Bearer ${await token()}`);
    const b = await verify(`Bearer ${await token({ claims: { oid: 'object-2' } })}`);
    expect(a.userKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.userKey).not.toBe(b.userKey);
    expect(a.objectId).toBe('object-1');
  });

  it('accepts a token within the clock skew', async () => {
    const verify = createJwtVerifier({ ...base, jwksUri });
    await expect(verify(`Bearer ${await token({ exp: now() - 20, nbf: now() - 600 })}`)).resolves.toMatchObject({
      objectId: 'object-1',
    });
  });

  it('refetches the key set when a token names a kid it has not seen (key rollover)', async () => {
    const verify = createJwtVerifier({ ...base, jwksUri, refetchCooldownMs: 0 });
    await verify(`Bearer ${await token()}`); // caches the set with k1 only
    const next = await generateKeyPair('RS256');
    keys.push({ ...(await exportJWK(next.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' });
    await expect(verify(`Bearer ${await token({ kid: 'k2', key: next })}`)).resolves.toMatchObject({
      objectId: 'object-1',
    });
  });
});

// Issue 19, finding 2: only delegated access tokens for this API, of an allowed client, are callers.
describe('the token type', () => {
  const refused = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
  const verify = () => createJwtVerifier({ ...base, jwksUri });
  const allowing = (...ids: string[]) => createJwtVerifier({ ...base, jwksUri, allowedClientIds: ids });

  it('refuses an ID token of a shared app registration (aud = the API, no scp)', async () => {
    await refused(
      verify()(
        `Bearer ${await token({ claims: { scp: undefined, azp: undefined, nonce: 'n-1', email: 'a@b.example' } })}`,
      ),
    );
  });
  it('refuses app-only tokens: idtyp=app, or roles without scp', async () => {
    await refused(
      verify()(`Bearer ${await token({ claims: { scp: undefined, idtyp: 'app', roles: ['Integrations.Read.All'] } })}`),
    );
    await refused(verify()(`Bearer ${await token({ claims: { scp: undefined, roles: ['Integrations.Read.All'] } })}`));
    // idtyp=app wins even beside a scope: a daemon is never a user.
    await refused(verify()(`Bearer ${await token({ claims: { idtyp: 'app' } })}`));
  });
  it('requires the scope as a whole space-separated item of scp', async () => {
    for (const scp of ['User.Read', 'access_as_user2', 'xaccess_as_user', '', 'access_as_user,User.Read']) {
      await refused(verify()(`Bearer ${await token({ claims: { scp } })}`));
    }
    await refused(verify()(`Bearer ${await token({ claims: { scp: ['access_as_user'] } })}`));
    await expect(
      verify()(`Bearer ${await token({ claims: { scp: 'User.Read  access_as_user openid' } })}`),
    ).resolves.toMatchObject({ objectId: 'object-1' });
    const other = createJwtVerifier({ ...base, jwksUri, requiredScope: 'Integrations.Access' });
    await refused(other(`Bearer ${await token()}`));
    await expect(other(`Bearer ${await token({ claims: { scp: 'Integrations.Access' } })}`)).resolves.toMatchObject({
      objectId: 'object-1',
    });
  });
  it('accepts any client without an allow-list, only the listed ones with it (azp, or v1 appid)', async () => {
    const foreign = await token({ claims: { azp: 'aaaaaaaa-0000-0000-0000-000000000000' } });
    await expect(verify()(`Bearer ${foreign}`)).resolves.toMatchObject({ objectId: 'object-1' });
    await refused(allowing(SPA)(`Bearer ${foreign}`));
    await refused(
      allowing(SPA)(
        `Bearer ${await token({ claims: { azp: undefined, appid: 'aaaaaaaa-0000-0000-0000-000000000000', ver: '1.0' } })}`,
      ),
    );
    await refused(allowing(SPA)(`Bearer ${await token({ claims: { azp: undefined } })}`));
    await expect(allowing('x', SPA)(`Bearer ${await token()}`)).resolves.toMatchObject({ objectId: 'object-1' });
    await expect(
      allowing(SPA)(`Bearer ${await token({ claims: { azp: undefined, appid: SPA, ver: '1.0' } })}`),
    ).resolves.toMatchObject({ objectId: 'object-1' });
  });
  it('answers the refusals over HTTP as 401 problems', async () => {
    await expectRefused({ authorization: `Bearer ${await token({ claims: { scp: undefined } })}` });
    await expectRefused({
      authorization: `Bearer ${await token({ claims: { scp: undefined, idtyp: 'app', roles: ['r'] } })}`,
    });
  });
});

describe('when the issuer cannot be reached', () => {
  it('answers 503 service_unavailable, not 401 (users are not sent back to sign-in)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const verify = createJwtVerifier({ ...base, jwksUri: `http://127.0.0.1:${port}/keys` });
    await expect(verify(`Bearer ${await token()}`)).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
    const down = createServer((_req, res) => void res.writeHead(502).end());
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const failing = createJwtVerifier({
      ...base,
      jwksUri: `http://127.0.0.1:${(down.address() as AddressInfo).port}/keys`,
    });
    await expect(failing(`Bearer ${await token()}`)).rejects.toMatchObject({ status: 503 });
    await new Promise<void>((resolve) => down.close(() => resolve()));
  });

  it('accepts the scheme name in any case', async () => {
    const verify = createJwtVerifier({ ...base, jwksUri });
    await expect(verify(`bearer ${await token()}`)).resolves.toMatchObject({ objectId: 'object-1' });
  });
});
