import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { openAuthorizeUrl } from '../support/sim.js';
import { apiClient } from '../support/stack.js';
import { startSecondIssuer, type SecondIssuer } from './second-ca.js';
import { startLauncher, type StartedApp } from './start-process.js';

// `npm start` in a real environment: the caller tokens come from an issuer whose HTTPS certificate
// only NODE_EXTRA_CA_CERTS trusts (a second CA, not the development certificate), while Microsoft
// is the simulator, which only the development certificate signs. Both must stay trusted.
let azurite: Azurite;
let second: SecondIssuer;
beforeAll(async () => {
  [azurite, second] = await Promise.all([startAzurite(), startSecondIssuer()]);
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), second?.close()]);
});

const DEMO_ACCOUNT = 'demo@contoso.example';

describe('npm start with a NODE_EXTRA_CA_CERTS of the user', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startLauncher({
      NODE_EXTRA_CA_CERTS: second.caPath,
      AzureWebJobsStorage: azurite.connectionString,
      AUTH_MODE: 'jwt',
      AUTH_ISSUER: second.issuer,
      AUTH_AUDIENCE: second.audience,
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    // The bundle is named by its content, and this CA is new on every run: do not let them pile up.
    const bundle = app?.lines.map((l) => /\(bundle: (\S+)\)$/.exec(l)?.[1]).find(Boolean);
    if (bundle) await rm(bundle, { force: true });
  });

  it('answers Graph’s validation handshake on both URLs as its very first requests (cold process)', async () => {
    const token = 'Validation: Testing client application reachability (a+b) for subscription Request-Id: 7';
    for (const path of ['notifications', 'notifications/lifecycle']) {
      const started = performance.now();
      const res = await fetch(`${app.url}/api/integrations/${path}?validationToken=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
      expect([res.status, await res.text()]).toEqual([200, token]);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(performance.now() - started).toBeLessThan(10_000);
    }
  });

  it("relaunches once, trusting a bundle of the development certificate and the user's CA", () => {
    const relaunches = app.lines.filter((l) =>
      l.includes('relaunching to trust the development certificate as well as NODE_EXTRA_CA_CERTS'),
    );
    expect(relaunches).toHaveLength(1);
    expect(relaunches[0]).toMatch(/bundle: .*\.local\/certs\/ca-bundle-[0-9a-f]{16}\.pem\)$/);
    expect(app.simUrl).toMatch(/^https:\/\/localhost:\d+$/);
  });

  it('accepts caller tokens of the issuer behind the second CA (its metadata and keys fetched over HTTPS)', async () => {
    const api = apiClient(app.url);
    const token = await second.token('caller-one');
    const list = await api('GET', 'integrations', { token });
    expect(list.status).toBe(200);
    expect(list.body.results).toEqual([]);
    expect(second.fetches.metadata).toBeGreaterThanOrEqual(1);
    expect(second.fetches.jwks).toBeGreaterThanOrEqual(1);
    // The keys are really checked: a token signed with another key is refused.
    const forged = await api('GET', 'integrations', { token: await second.foreignToken('caller-one') });
    expect(forged.status).toBe(401);
  });

  it('still trusts the simulator: connect and the first sync against it succeed', async () => {
    const api = apiClient(app.url);
    const token = await second.token('caller-two');
    const started = await api('POST', 'integrations/oauth/initiate', {
      token,
      body: { provider: 'microsoft_outlook', login_hint: DEMO_ACCOUNT },
    });
    expect(started.status).toBe(200);
    expect(started.body.authorization_url.startsWith(`${app.simUrl}/`)).toBe(true);
    const { params } = await openAuthorizeUrl(started.body.authorization_url);
    const callback = await api('POST', 'integrations/oauth/callback', {
      token,
      body: { provider: 'microsoft_outlook', state: params?.get('state'), code: params?.get('code') },
    });
    expect(callback.status).toBe(201);
    expect(callback.body.account.email).toBe(DEMO_ACCOUNT);

    const id = callback.body.id as string;
    const deadline = Date.now() + 60_000;
    let integration = callback.body;
    while (integration.last_sync?.status !== 'succeeded' && Date.now() < deadline) {
      expect(integration.last_sync?.status).not.toBe('failed');
      await new Promise((r) => setTimeout(r, 250));
      integration = (await api('GET', `integrations/${id}`, { token })).body;
    }
    expect(integration.last_sync?.status).toBe('succeeded');
    expect(integration.last_sync.items_upserted).toBeGreaterThan(0);
    const messages = await api('GET', `integrations/email-messages?integration_id=${id}&limit=5`, { token });
    expect(messages.status).toBe(200);
    expect(messages.body.results.length).toBeGreaterThan(0);
    // Demo mode points WEBHOOK_BASE_URL at the local host (its port picked at start): real time works.
    const live = Date.now() + 30_000;
    while (integration.realtime?.status !== 'active' && Date.now() < live) {
      await new Promise((r) => setTimeout(r, 250));
      integration = (await api('GET', `integrations/${id}`, { token })).body;
    }
    expect(integration.realtime.status).toBe('active');
  });
});

describe('npm start with real Microsoft settings', () => {
  it('does not relaunch (nothing local needs the development certificate) and serves', async () => {
    const app = await startLauncher({
      NODE_EXTRA_CA_CERTS: second.caPath,
      AzureWebJobsStorage: azurite.connectionString,
      AUTH_MODE: 'easyauth',
      // What App Service sets when its authentication is on (easyauth is refused without it).
      WEBSITE_AUTH_ENABLED: 'True',
      MICROSOFT_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      MICROSOFT_CLIENT_SECRET: 'not-a-real-secret',
    });
    try {
      expect(app.lines.some((l) => l.includes('relaunching'))).toBe(false);
      expect(app.simUrl).toBeUndefined();
      const principal = Buffer.from(
        JSON.stringify({
          auth_typ: 'aad',
          claims: [{ typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-1' }],
        }),
      ).toString('base64');
      const list = await apiClient(app.url)('GET', 'integrations', { headers: { 'x-ms-client-principal': principal } });
      expect(list.status).toBe(200);
    } finally {
      await app.stop();
    }
  }, 120_000);
});
