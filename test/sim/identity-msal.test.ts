import { randomUUID } from 'node:crypto';
import { AuthError, ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msalConfiguration } from '../../shared/oauth/msal-config.js';
import { openAuthorizeUrl, startTestSimulator, type TestSimulator } from '../support/sim.js';

// The real MSAL Node client against the simulated identity platform, end to end.
const SCOPES = ['https://graph.microsoft.com/Calendars.Read', 'https://graph.microsoft.com/User.Read'];
const EMAIL = 'ada@contoso.example';

let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator();
  t.sim.createUser({
    email: 'first@contoso.example',
    calendar: { events: 1, recurring_series: 0, all_day: 0 },
    mailbox: { messages: 1 },
  });
  t.sim.createUser({
    email: EMAIL,
    display_name: 'Ada Lovelace',
    calendar: { events: 2, recurring_series: 0, all_day: 0 },
    mailbox: { messages: 1 },
  });
});
afterAll(() => t.sim.close());

const redirectUri = (): string => t.settings.OAUTH_REDIRECT_URIS;
const newClient = (): ConfidentialClientApplication =>
  new ConfidentialClientApplication(
    msalConfiguration({
      clientId: t.settings.MICROSOFT_CLIENT_ID,
      clientSecret: t.settings.MICROSOFT_CLIENT_SECRET,
      authorityHost: t.settings.MICROSOFT_AUTHORITY_HOST,
      tenantId: t.settings.MICROSOFT_TENANT_ID,
    }),
  );

/** getAuthCodeUrl with PKCE, then the browser's trip to the authorize endpoint. */
async function authorize(cca: ConfidentialClientApplication): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = randomUUID();
  const url = await cca.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri: redirectUri(),
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    state,
    loginHint: EMAIL,
  });
  expect(url.startsWith(`${t.sim.baseUrl}/${t.sim.tenantId}/oauth2/v2.0/authorize?`)).toBe(true);
  const outcome = await openAuthorizeUrl(url);
  expect(outcome.status).toBe(302);
  expect(outcome.params?.get('state')).toBe(state);
  const code = outcome.params?.get('code');
  expect(code).toBeTruthy();
  return { code: code ?? '', verifier };
}

async function connect(
  cca: ConfidentialClientApplication,
): Promise<{ result: AuthenticationResult; code: string; verifier: string }> {
  const { code, verifier } = await authorize(cca);
  const result = await cca.acquireTokenByCode({
    code,
    scopes: SCOPES,
    redirectUri: redirectUri(),
    codeVerifier: verifier,
  });
  return { result, code, verifier };
}

/** Runs `fn`, which must fail as MSAL surfaces a server refusal; returns the error. */
async function refusal(fn: () => Promise<unknown>): Promise<AuthError> {
  const error = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('identity platform with the real MSAL Node', () => {
  it('redeems a code for the login_hint user, calls Graph, and refreshes with forceRefresh', async () => {
    const cca = newClient();
    const before = t.sim.stats().token_requests_by_grant;
    const { result } = await connect(cca);
    expect(result.account?.username).toBe(EMAIL);
    expect(result.account?.tenantId).toBe(t.sim.tenantId);
    expect(result.account?.name).toBe('Ada Lovelace');
    expect(result.scopes.map((s) => s.toLowerCase())).toEqual(
      expect.arrayContaining(SCOPES.map((s) => s.toLowerCase())),
    );

    const me = await fetch(`${t.sim.graphBaseUrl}/v1.0/me`, {
      headers: { authorization: `Bearer ${result.accessToken}` },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(t.sim.graph.findUser(EMAIL)?.id);

    // A cached token answers silently: no token request.
    const cached = await cca.acquireTokenSilent({ account: result.account!, scopes: SCOPES });
    expect(cached.accessToken).toBe(result.accessToken);

    const refreshed = await cca.acquireTokenSilent({ account: result.account!, scopes: SCOPES, forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    expect(refreshed.account?.username).toBe(EMAIL);
    const after = t.sim.stats().token_requests_by_grant;
    expect((after.authorization_code ?? 0) - (before.authorization_code ?? 0)).toBe(1);
    expect((after.refresh_token ?? 0) - (before.refresh_token ?? 0)).toBe(1);
    // msalConfiguration describes the custom host up front: MSAL made no discovery calls.
    const paths = Object.keys(t.sim.stats().by_path);
    expect(paths).toContain('GET /{tenant}/oauth2/v2.0/authorize');
    expect(paths.filter((p) => p.includes('discovery') || p.includes('openid-configuration'))).toEqual([]);
  });

  it('refuses a PKCE verifier that does not match the challenge (AADSTS501481)', async () => {
    const cca = newClient();
    const { code } = await authorize(cca);
    const other = await new CryptoProvider().generatePkceCodes();
    const error = await refusal(() =>
      cca.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: redirectUri(), codeVerifier: other.verifier }),
    );
    expect(error.errorCode).toBe('invalid_grant');
    expect(error.errorMessage).toContain('AADSTS501481');
  });

  it('refuses a redirect URI other than the one the code was issued for (AADSTS500112)', async () => {
    const cca = newClient();
    const { code, verifier } = await authorize(cca);
    const error = await refusal(() =>
      cca.acquireTokenByCode({
        code,
        scopes: SCOPES,
        redirectUri: 'https://app.example/elsewhere',
        codeVerifier: verifier,
      }),
    );
    expect(error.errorCode).toBe('invalid_grant');
    expect(error.errorMessage).toContain('AADSTS500112');
  });

  it('refuses a code redeemed twice (AADSTS54005)', async () => {
    const cca = newClient();
    const { code, verifier } = await connect(cca);
    const error = await refusal(() =>
      cca.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: redirectUri(), codeVerifier: verifier }),
    );
    expect(error.errorCode).toBe('invalid_grant');
    expect(error.errorMessage).toContain('AADSTS54005');
  });

  it("refuses a refresh after the user's sessions are revoked (AADSTS50173)", async () => {
    const cca = newClient();
    const { result } = await connect(cca);
    const revoke = await fetch(`${t.sim.baseUrl}/_sim/users/${encodeURIComponent(EMAIL)}/revoke`, { method: 'POST' });
    expect(revoke.status).toBe(200);
    const error = await refusal(() =>
      cca.acquireTokenSilent({ account: result.account!, scopes: SCOPES, forceRefresh: true }),
    );
    expect(error.errorCode).toBe('invalid_grant');
    expect(error.errorMessage).toContain('AADSTS50173');
  });
});
