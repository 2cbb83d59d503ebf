import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthorizeUrl, startTestSimulator, type TestSimulator } from '../support/sim.js';

// The token endpoint's wire format, driven with plain form posts (what MSAL sends, without MSAL).
let t: TestSimulator;
const FIRST = 'first@contoso.example';
const SECOND = 'second@contoso.example';
beforeAll(async () => {
  t = await startTestSimulator();
  for (const email of [FIRST, SECOND])
    t.sim.createUser({ email, calendar: { events: 1, recurring_series: 0, all_day: 0 }, mailbox: { messages: 1 } });
});
afterAll(() => t.sim.close());

const SCOPE = 'https://graph.microsoft.com/Calendars.Read User.Read offline_access openid profile';

async function codeFor(extra: Record<string, string> = {}): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${t.sim.baseUrl}/common/oauth2/v2.0/authorize`);
  const params = {
    client_id: t.settings.MICROSOFT_CLIENT_ID,
    redirect_uri: t.settings.OAUTH_REDIRECT_URIS,
    response_type: 'code',
    scope: SCOPE,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const outcome = await openAuthorizeUrl(url.toString());
  return { code: outcome.params?.get('code') ?? '', verifier };
}

async function token(
  form: Record<string, string>,
  withSecret = true,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = new URLSearchParams({
    client_id: t.settings.MICROSOFT_CLIENT_ID,
    ...(withSecret ? { client_secret: t.settings.MICROSOFT_CLIENT_SECRET } : {}),
    ...form,
  });
  const res = await fetch(`${t.sim.baseUrl}/${t.sim.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body,
    headers: { 'client-request-id': 'corr-1' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const redeem = (c: { code: string; verifier: string }, extra: Record<string, string> = {}) =>
  token({
    grant_type: 'authorization_code',
    code: c.code,
    code_verifier: c.verifier,
    redirect_uri: t.settings.OAUTH_REDIRECT_URIS,
    scope: SCOPE,
    client_info: '1',
    ...extra,
  });

const control = (path: string, body: unknown): Promise<Response> =>
  fetch(`${t.sim.baseUrl}/_sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('token endpoint', () => {
  it("answers Microsoft's success shape with verifiable id and access tokens", async () => {
    const ok = await redeem(await codeFor({ login_hint: SECOND, nonce: 'n-123' }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
    expect(Object.keys(ok.body).sort()).toEqual([
      'access_token',
      'client_info',
      'expires_in',
      'ext_expires_in',
      'id_token',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    expect(String(ok.body.scope).split(' ')).toEqual(
      expect.arrayContaining(['https://graph.microsoft.com/Calendars.Read', 'User.Read']),
    );
    const user = t.sim.graph.findUser(SECOND)!;
    const jwks = createRemoteJWKSet(new URL(t.sim.callerJwksUri));
    const { payload: id, protectedHeader } = await jwtVerify(String(ok.body.id_token), jwks, {
      issuer: `${t.sim.baseUrl}/${t.sim.tenantId}/v2.0`,
      audience: t.settings.MICROSOFT_CLIENT_ID,
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect(id).toMatchObject({ oid: user.id, tid: t.sim.tenantId, preferred_username: SECOND, nonce: 'n-123' });
    expect(typeof id.sub).toBe('string');
    const access = decodeJwt(String(ok.body.access_token));
    expect(access).toMatchObject({ aud: 'https://graph.microsoft.com', oid: user.id, scp: 'Calendars.Read User.Read' });
    expect(JSON.parse(Buffer.from(String(ok.body.client_info), 'base64url').toString())).toEqual({
      uid: user.id,
      utid: t.sim.tenantId,
    });
  });

  it('gives the first seeded user when the authorize request had no login_hint', async () => {
    const ok = await redeem(await codeFor());
    expect(decodeJwt(String(ok.body.id_token)).preferred_username).toBe(FIRST);
    expect(decodeJwt(String(ok.body.id_token)).nonce).toBeUndefined();
  });

  it('rotates refresh tokens and, like Microsoft, keeps the old one valid', async () => {
    const first = await redeem(await codeFor());
    const second = await token({
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      scope: SCOPE,
    });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    const again = await token({
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      scope: 'Calendars.Read offline_access',
    });
    expect(again.status).toBe(200);
    expect(decodeJwt(String(again.body.access_token)).scp).toBe('Calendars.Read');
    const unconsented = await token({
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      scope: 'Mail.Send offline_access',
    });
    expect(unconsented.body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [65001],
      suberror: 'consent_required',
    });
  });

  it.each([
    ['a wrong client secret', { client_secret: 'wrong' }, 401, 'invalid_client', 7000215],
    ['an unknown client', { client_id: 'nope' }, 400, 'unauthorized_client', 700016],
    ['an unsupported grant', { grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
    [
      'an unknown refresh token',
      { grant_type: 'refresh_token', refresh_token: 'garbage' },
      400,
      'invalid_grant',
      9002313,
    ],
  ])('refuses %s with Microsoft error JSON', async (_name, form, status, error, code) => {
    const res = await token({ grant_type: 'authorization_code', code: 'x', ...form });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error, error_codes: [code], correlation_id: 'corr-1' });
    expect(String(res.body.error_description)).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(res.body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(typeof res.body.trace_id).toBe('string');
  });

  it('accepts the client secret by HTTP Basic too', async () => {
    const c = await codeFor();
    const basic = Buffer.from(
      `${t.settings.MICROSOFT_CLIENT_ID}:${encodeURIComponent(t.settings.MICROSOFT_CLIENT_SECRET)}`,
    ).toString('base64');
    const res = await fetch(`${t.sim.baseUrl}/common/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: c.code,
        code_verifier: c.verifier,
        redirect_uri: t.settings.OAUTH_REDIRECT_URIS,
      }),
    });
    expect(res.status).toBe(200);
  });

  it('honours the token lifetime controls: short access tokens, expired codes (70008) and refresh tokens (700082)', async () => {
    try {
      expect(
        (await control('tokens', { access_token_ttl_s: 120, authorization_code_ttl_s: 0, refresh_token_ttl_s: 0 }))
          .status,
      ).toBe(200);
      const expiredCode = await redeem(await codeFor());
      expect(expiredCode.body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
      await control('tokens', { authorization_code_ttl_s: 600 });
      const ok = await redeem(await codeFor());
      expect(ok.body.expires_in).toBe(120);
      const claims = decodeJwt(String(ok.body.access_token));
      expect(claims.exp! - claims.iat!).toBe(120);
      const expiredRt = await token({ grant_type: 'refresh_token', refresh_token: String(ok.body.refresh_token) });
      expect(expiredRt.body).toMatchObject({ error: 'invalid_grant', error_codes: [700082] });
    } finally {
      await control('tokens', {
        access_token_ttl_s: 3600,
        authorization_code_ttl_s: 600,
        refresh_token_ttl_s: 7776000,
      });
    }
  });

  it('answers unknown tenants with invalid_tenant (AADSTS90002)', async () => {
    const res = await fetch(`${t.sim.baseUrl}/contoso.example/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });
});
