import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJwtVerifier, type JwtVerifierOptions } from '../../shared/identity/jwt.js';
import { manualClock } from '../crypto/support.js';

// Issue 19, finding 6 (caller issuer): OpenID discovery and the JWKS are fetched with a timeout,
// a failure is remembered for a short while (a dead issuer is not hammered and answers 503 at
// once), and keys in hand keep verifying while a refresh is under way.

const AUDIENCE = 'api://integrato-test';
const TIMEOUT = 400;
type Key = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: Key;
let jwk: JWK;

beforeAll(async () => {
  signing = await generateKeyPair('RS256');
  jwk = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
});

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** An issuer whose behaviour the test switches: 'hang' never answers, 'fail' answers 502. */
async function issuer() {
  const state = { mode: 'ok' as 'ok' | 'hang' | 'fail', keys: [jwk], requests: [] as string[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.requests.push(req.url ?? '');
    if (state.mode === 'hang') return;
    if (state.mode === 'fail') return void res.writeHead(502).end();
    res.setHeader('content-type', 'application/json');
    if (req.url?.endsWith('/.well-known/openid-configuration'))
      return void res.end(JSON.stringify({ jwks_uri: `${base}/keys` }));
    res.end(JSON.stringify({ keys: state.keys }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { state, url: `${base}/tenant/v2.0`, jwksUri: `${base}/keys` };
}

const token = (iss: string) =>
  new SignJWT({ tid: 't', oid: 'o', scp: 'access_as_user' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(iss)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(signing.privateKey);

const verifier = (iss: string, more: Partial<JwtVerifierOptions>) =>
  createJwtVerifier({
    issuer: iss,
    audience: AUDIENCE,
    clockSkewSeconds: 60,
    requiredScope: 'access_as_user',
    timeoutMs: TIMEOUT,
    ...more,
  });

async function timed(p: Promise<unknown>) {
  const started = performance.now();
  const outcome = await p.then(
    () => 'ok',
    (e: unknown) => e,
  );
  return { outcome, ms: performance.now() - started };
}

describe('a caller issuer that hangs or fails', () => {
  for (const [what, withJwksUri] of [
    ['OpenID discovery', false],
    ['the JWKS endpoint', true],
  ] as const) {
    it(`${what} hanging: 503 within the timeout, then 503 at once without asking again`, async () => {
      const i = await issuer();
      i.state.mode = 'hang';
      const verify = verifier(i.url, withJwksUri ? { jwksUri: i.jwksUri } : {});
      const jwt = await token(i.url);
      const first = await timed(verify(`Bearer ${jwt}`));
      expect(first.outcome).toMatchObject({ status: 503, code: 'service_unavailable' });
      expect(first.ms).toBeLessThan(TIMEOUT + 1_000);
      const again = [];
      for (let n = 0; n < 10; n++) again.push(await timed(verify(`Bearer ${jwt}`)));
      for (const call of again) expect(call.outcome).toMatchObject({ status: 503 });
      const max = Math.max(...again.map((c) => c.ms));
      console.log(
        `[dead issuer] ${what}: first answer ${first.ms.toFixed(0)} ms, then max ${max.toFixed(1)} ms over 10 calls`,
      );
      expect(max).toBeLessThan(100);
      expect(i.state.requests).toHaveLength(1);
    });
  }

  it('asks again once the failure window is over, and recovers', async () => {
    const i = await issuer();
    i.state.mode = 'fail';
    const verify = verifier(i.url, { failureCacheMs: 300 });
    const jwt = await token(i.url);
    await expect(verify(`Bearer ${jwt}`)).rejects.toMatchObject({ status: 503 });
    await expect(verify(`Bearer ${jwt}`)).rejects.toMatchObject({ status: 503 });
    expect(i.state.requests).toHaveLength(1);
    i.state.mode = 'ok';
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(verify(`Bearer ${jwt}`)).resolves.toMatchObject({ objectId: 'o' });
  });

  it('keys in hand keep verifying while the issuer hangs; a key the issuer dropped stops verifying after a refresh', async () => {
    const i = await issuer();
    const clock = manualClock();
    const verify = verifier(i.url, { jwksUri: i.jwksUri, keysMaxAgeMs: 60_000, now: clock.now });
    const jwt = await token(i.url);
    await expect(verify(`Bearer ${jwt}`)).resolves.toMatchObject({ objectId: 'o' });
    i.state.mode = 'hang';
    clock.advance(61_000);
    const stale = await timed(verify(`Bearer ${jwt}`));
    expect(stale.outcome).toBe('ok');
    expect(stale.ms).toBeLessThan(100);
    await vi.waitFor(() => expect(i.state.requests).toHaveLength(2)); // one background refresh
    // The issuer comes back without k1 (rotated out): once refreshed, k1's tokens are refused.
    i.state.mode = 'ok';
    i.state.keys = [];
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT + 100)); // the hung refresh times out
    clock.advance(61_000);
    await vi.waitFor(
      () => expect(verify(`Bearer ${jwt}`)).rejects.toMatchObject({ status: 401, code: 'unauthenticated' }),
      { timeout: 3_000 },
    );
  });
});
