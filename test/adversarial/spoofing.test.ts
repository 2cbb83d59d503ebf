import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIM_SPA_CLIENT_ID, TokenIssuer } from '../../dev/sim/identity/issuer.js';
import type { SigningKeys } from '../../dev/sim/identity/keys.js';
import { principalHeader } from '../support/settings.js';
import { startStack, type Stack } from '../support/stack.js';
import { authenticatedEndpoints, expectProblem, label, pathOf, type Endpoint } from './endpoints.js';
import {
  claimsOf,
  malformedAuthorizations,
  spoofedTokens,
  wrongTypeTokens,
  type IssuerHandle,
} from './spoofed-tokens.js';

// Issue 8, point 1: every way of faking a caller is refused with 401 on every authenticated endpoint.

const EMAIL = 'victim@contoso.example';
let stack: Stack;
let token: string;
let integrationId: string;
let handle: IssuerHandle;

beforeAll(async () => {
  // Only the simulated SPA may call: a token of another client the user consented to is refused.
  stack = await startStack({ settings: { AUTH_ALLOWED_CLIENT_IDS: SIM_SPA_CLIENT_ID } });
  const spy = vi.spyOn(TokenIssuer.prototype, 'callerToken');
  token = await stack.callerToken(EMAIL);
  const issuer = spy.mock.contexts[0] as TokenIssuer;
  spy.mockRestore();
  handle = { issuer, keys: (issuer as unknown as { keys: SigningKeys }).keys };
  integrationId = (await stack.connect(EMAIL, 'microsoft_calendar')).body.id;
});
afterAll(async () => {
  await stack?.stop();
});

/** Calls an endpoint with the victim's real integration id, so a bypass would reach real data. */
function call(endpoint: Endpoint, headers: Record<string, string>, id = integrationId) {
  const body = endpoint.method === 'POST' ? { sync_type: 'full', provider: 'microsoft_calendar' } : undefined;
  return stack.api(
    endpoint.method,
    pathOf(endpoint, () => id),
    { headers, body },
  );
}

function expectUnauthenticated(res: Awaited<ReturnType<typeof call>>, what: string) {
  expectProblem(res, 401, 'unauthenticated', what);
  expect(res.headers.get('www-authenticate'), what).toBe('Bearer');
}

describe('spoofed callers are refused with 401 on every authenticated endpoint', () => {
  it('the endpoint list comes from functions/all.ts and covers the whole authenticated surface', () => {
    const routes = authenticatedEndpoints.map(label);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/integrations/oauth/initiate',
        'POST /api/integrations/oauth/callback',
        'GET /api/integrations',
        'GET /api/integrations/calendar-events',
        'GET /api/integrations/email-messages',
        'GET /api/integrations/{id}',
        'DELETE /api/integrations/{id}',
        'POST /api/integrations/{id}/sync',
      ]),
    );
    expect(routes.some((r) => r.includes('health'))).toBe(false);
  });

  it('the genuine token is accepted everywhere (so a 401 below is the token’s fault alone)', async () => {
    for (const endpoint of authenticatedEndpoints) {
      // A random id: DELETE must not remove the integration the spoofing attempts aim at.
      const res = await call(endpoint, { authorization: `Bearer ${token}` }, randomUUID());
      expect(res.status, label(endpoint)).not.toBe(401);
      expect(res.status, label(endpoint)).toBeLessThan(500);
    }
  });

  it('wrong audience, issuer or tenant, bad signature, alg none, expired or not yet valid: 401', async () => {
    const tokens = await spoofedTokens(stack, EMAIL, handle);
    expect(Object.keys(tokens).length).toBeGreaterThanOrEqual(20);
    for (const [name, bad] of Object.entries({ ...tokens, ...malformedAuthorizations(token) })) {
      const authorization = name in tokens ? `Bearer ${bad}` : bad;
      for (const endpoint of authenticatedEndpoints)
        expectUnauthenticated(await call(endpoint, { authorization }), `${name}: ${label(endpoint)}`);
    }
  });

  it('ID tokens, app-only tokens, tokens without the scope and foreign clients: 401 unauthenticated', async () => {
    const claims = claimsOf(token);
    expect(claims).toMatchObject({ scp: 'access_as_user', azp: SIM_SPA_CLIENT_ID }); // the genuine token's type
    const tokens = await wrongTypeTokens(claims, handle);
    expect(Object.keys(tokens)).toHaveLength(10);
    for (const [name, bad] of Object.entries(tokens)) {
      for (const endpoint of authenticatedEndpoints)
        expectUnauthenticated(await call(endpoint, { authorization: `Bearer ${bad}` }), `${name}: ${label(endpoint)}`);
    }
  });

  it('a forged x-ms-client-principal is ignored in jwt mode, alone or beside a bad token', async () => {
    const claims = claimsOf(token);
    const forged = principalHeader(claims.tid, claims.oid);
    const expired = await stack.sim.callerToken(EMAIL, { expires_in: -300 });
    for (const endpoint of authenticatedEndpoints) {
      expectUnauthenticated(
        await call(endpoint, { 'x-ms-client-principal': forged }),
        `principal only: ${label(endpoint)}`,
      );
      expectUnauthenticated(
        await call(endpoint, { 'x-ms-client-principal': forged, authorization: `Bearer ${expired}` }),
        `principal + expired: ${label(endpoint)}`,
      );
      expectUnauthenticated(
        await call(endpoint, { 'x-ms-client-principal-id': claims.oid, 'x-ms-client-principal-idp': 'aad' }),
        `principal id headers: ${label(endpoint)}`,
      );
    }
  });

  it('a token in the query string is not a credential', async () => {
    for (const endpoint of authenticatedEndpoints) {
      const path = `${pathOf(endpoint, () => integrationId)}?access_token=${encodeURIComponent(token)}`;
      expectUnauthenticated(await stack.api(endpoint.method, path, {}), `query token: ${label(endpoint)}`);
    }
  });

  it('a valid token of the same object id in another tenant is another user: it sees nothing of the victim', async () => {
    const victim = claimsOf(token);
    const base = { ...victim, tid: randomUUID() };
    const otherTenant = await handle.keys.sign(base);
    const noOid = await handle.keys.sign({ ...victim, oid: undefined }); // keyed by `sub` instead
    for (const [name, other] of Object.entries({ otherTenant, noOid })) {
      const list = await stack.api('GET', 'integrations', { token: other });
      expect(list.status, name).toBe(200);
      expect(list.body.results, name).toEqual([]);
      const one = await stack.api('GET', `integrations/${integrationId}`, { token: other });
      expectProblem(one, 404, 'not_found', name);
      const removed = await stack.api('DELETE', `integrations/${integrationId}`, { token: other });
      expectProblem(removed, 404, 'not_found', name);
    }
  });

  it('after every attempt the victim’s integration is intact and still theirs', async () => {
    const res = await stack.api('GET', `integrations/${integrationId}`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: integrationId, status: 'active', account: { email: EMAIL } });
    const list = await stack.api('GET', 'integrations', { token });
    expect(list.body.results.map((i: { id: string }) => i.id)).toEqual([integrationId]);
  });
});
