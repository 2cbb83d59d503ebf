import { request } from 'node:https';
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthorizeUrl, startTestSimulator, type TestSimulator } from '../support/sim.js';

// The simulator names the host the client used, as Microsoft's endpoints do: a client configured
// with https://127.0.0.1:PORT gets metadata, endpoints, issuer and links on 127.0.0.1.
const SCOPES = ['https://graph.microsoft.com/Mail.Read', 'https://graph.microsoft.com/User.Read'];
const EMAIL = 'grace@contoso.example';

let t: TestSimulator;
let ip: string;
beforeAll(async () => {
  t = await startTestSimulator();
  t.sim.createUser({
    email: EMAIL,
    display_name: 'Grace Hopper',
    calendar: { events: 1, recurring_series: 0, all_day: 0 },
    mailbox: { messages: 3 },
  });
  ip = `https://127.0.0.1:${t.sim.port}`;
});
afterAll(() => t.sim.close());

/** GET with an explicit Host header (fetch cannot set one), over the simulator's TLS on 127.0.0.1. */
function getWithHost(path: string, host: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // The certificate is checked against localhost (SNI), whatever the Host header says.
    const req = request(
      { host: '127.0.0.1', port: t.sim.port, path, servername: 'localhost', headers: { host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the host the client used', () => {
  it('names 127.0.0.1 in the OpenID metadata asked on 127.0.0.1, localhost on localhost', async () => {
    for (const origin of [ip, t.sim.baseUrl]) {
      const res = await fetch(`${origin}/common/v2.0/.well-known/openid-configuration`);
      const meta = (await res.json()) as Record<string, string>;
      expect(meta.issuer).toBe(`${origin}/{tenantid}/v2.0`);
      for (const key of ['token_endpoint', 'authorization_endpoint', 'jwks_uri', 'end_session_endpoint']) {
        expect(meta[key]?.startsWith(`${origin}/common/`), key).toBe(true);
      }
      const tenant = (await (
        await fetch(`${origin}/${t.sim.tenantId}/v2.0/.well-known/openid-configuration`)
      ).json()) as Record<string, string>;
      expect(tenant.issuer).toBe(`${origin}/${t.sim.tenantId}/v2.0`);
      const discovery = (await (await fetch(`${origin}/common/discovery/instance?api-version=1.1`)).json()) as Record<
        string,
        unknown
      >;
      expect(discovery.tenant_discovery_endpoint).toBe(`${origin}/common/v2.0/.well-known/openid-configuration`);
    }
  });

  it('answers a Host it is not (nor a missing port) with its canonical localhost origin', async () => {
    for (const host of ['evil.example', `evil.example:${t.sim.port}`, '127.0.0.1', `127.0.0.1:${t.sim.port + 1}`]) {
      const res = await getWithHost('/common/v2.0/.well-known/openid-configuration', host);
      expect(res.status).toBe(200);
      expect(res.body.issuer, host).toBe(`${t.sim.baseUrl}/{tenantid}/v2.0`);
    }
    const named = await getWithHost('/common/v2.0/.well-known/openid-configuration', `127.0.0.1:${t.sim.port}`);
    expect(named.body.issuer).toBe(`${ip}/{tenantid}/v2.0`);
  });

  it('MSAL Node pointed at https://127.0.0.1:PORT completes code + PKCE and refresh, and Graph answers there', async () => {
    // A plain configuration: MSAL fetches the authority's metadata itself, as for any custom authority.
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: t.settings.MICROSOFT_CLIENT_ID,
        clientSecret: t.settings.MICROSOFT_CLIENT_SECRET,
        authority: `${ip}/common`,
        knownAuthorities: [`127.0.0.1:${t.sim.port}`],
      },
    });
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const state = randomUUID();
    const url = await cca.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri: t.settings.OAUTH_REDIRECT_URIS,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      loginHint: EMAIL,
    });
    expect(url.startsWith(`${ip}/common/oauth2/v2.0/authorize?`)).toBe(true);
    const outcome = await openAuthorizeUrl(url);
    expect(outcome.params?.get('state')).toBe(state);
    const code = outcome.params?.get('code') ?? '';
    const result = await cca.acquireTokenByCode({
      code,
      scopes: SCOPES,
      redirectUri: t.settings.OAUTH_REDIRECT_URIS,
      codeVerifier: verifier,
    });
    expect(result.account?.username).toBe(EMAIL);
    expect(result.account?.tenantId).toBe(t.sim.tenantId);
    expect(decodeJwt(result.idToken).iss).toBe(`${ip}/${t.sim.tenantId}/v2.0`);
    expect(decodeJwt(result.accessToken).iss).toBe(`${ip}/${t.sim.tenantId}/v2.0`);

    const refreshed = await cca.acquireTokenSilent({ account: result.account!, scopes: SCOPES, forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    expect(refreshed.account?.username).toBe(EMAIL);
    expect(t.sim.stats().token_requests_by_grant.refresh_token).toBe(1);

    // Graph on 127.0.0.1 accepts the token and links back to 127.0.0.1; on localhost it is accepted too.
    const page = await fetch(`${ip}/v1.0/me/messages?$top=1`, {
      headers: { authorization: `Bearer ${refreshed.accessToken}` },
    });
    expect(page.status).toBe(200);
    expect(String(((await page.json()) as Record<string, unknown>)['@odata.nextLink'])).toMatch(
      new RegExp(`^${ip.replace(/\./g, '\\.')}/v1\\.0/me/messages\\?`),
    );
    const me = await fetch(`${t.sim.baseUrl}/v1.0/me`, {
      headers: { authorization: `Bearer ${refreshed.accessToken}` },
    });
    expect(me.status).toBe(200);
  });
});
