import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('connect a Microsoft account over HTTP on the local host', () => {
  it('initiate → consent → callback lists the integration active, for both providers', async () => {
    const calendar = await stack.connect('alice@contoso.example', 'microsoft_calendar');
    expect(calendar.status).toBe(201);
    expect(calendar.body).toMatchObject({
      provider: 'microsoft_calendar',
      status: 'active',
      account: { email: 'alice@contoso.example' },
    });
    expect(calendar.body.scopes).toEqual(expect.arrayContaining(['Calendars.Read', 'User.Read']));
    const mail = await stack.connect('alice@contoso.example', 'microsoft_outlook');
    expect(mail.status).toBe(201);
    expect(mail.body.scopes).toEqual(expect.arrayContaining(['Mail.Read']));

    const token = await stack.callerToken('alice@contoso.example');
    const list = await stack.api('GET', 'integrations', { token });
    expect(list.status).toBe(200);
    expect(list.body.results.map((i: { provider: string }) => i.provider).sort()).toEqual([
      'microsoft_calendar',
      'microsoft_outlook',
    ]);
    expect(
      list.body.results.every(
        (i: { status: string; account: { email: string } }) =>
          i.status === 'active' && i.account.email === 'alice@contoso.example',
      ),
    ).toBe(true);
  });

  it('connecting the same account again renews the integration (200) instead of adding one', async () => {
    const first = await stack.connect('bob@contoso.example', 'microsoft_calendar');
    const again = await stack.connect('bob@contoso.example', 'microsoft_calendar');
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.account.email).toBe('bob@contoso.example');
    const list = await stack.api('GET', 'integrations', { token: await stack.callerToken('bob@contoso.example') });
    expect(list.body.results).toHaveLength(1);
  });

  it('two callbacks racing for the same account make one integration (201 and 200)', async () => {
    const email = 'racer@contoso.example';
    stack.user(email);
    const token = await stack.callerToken(email);
    const { openAuthorizeUrl } = await import('../support/sim.js');
    const signIns = await Promise.all(
      [1, 2].map(async () => {
        const started = await stack.api('POST', 'integrations/oauth/initiate', {
          token,
          body: { provider: 'microsoft_outlook', login_hint: email },
        });
        const { params } = await openAuthorizeUrl(started.body.authorization_url);
        return { provider: 'microsoft_outlook', state: params!.get('state'), code: params!.get('code') };
      }),
    );
    const answers = await Promise.all(
      signIns.map((body) => stack.api('POST', 'integrations/oauth/callback', { token, body })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(answers[0]!.body.id).toBe(answers[1]!.body.id);
    expect((await stack.api('GET', 'integrations', { token })).body.results).toHaveLength(1);
  });

  it('lists in pages with a signed cursor, filters by provider, and refuses unknown parameters', async () => {
    const token = await stack.callerToken('alice@contoso.example');
    const first = await stack.api('GET', 'integrations?limit=1', { token });
    expect(first.status).toBe(200);
    expect(first.body.results).toHaveLength(1);
    const second = await stack.api('GET', `integrations?limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`, {
      token,
    });
    expect(second.body.results).toHaveLength(1);
    expect(second.body.results[0].id).not.toBe(first.body.results[0].id);
    expect(second.body.next_cursor).toBeNull();
    const other = await stack.api('GET', `integrations?limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`, {
      token: await stack.callerToken('bob@contoso.example'),
    });
    expect(other.status).toBe(400);
    expect(other.body.errors[0].field).toBe('cursor');
    const calendars = await stack.api('GET', 'integrations?provider=microsoft_calendar', { token });
    expect(calendars.body.results.map((i: { provider: string }) => i.provider)).toEqual(['microsoft_calendar']);
    const unknown = await stack.api('GET', 'integrations?page=2', { token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('page');
  });

  it('the authorization URL carries PKCE S256, the state, least-privilege scopes and the redirect URI', async () => {
    const token = await stack.callerToken('carol@contoso.example');
    const res = await stack.api('POST', 'integrations/oauth/initiate', {
      token,
      body: { provider: 'microsoft_outlook' },
    });
    expect(res.status).toBe(200);
    const url = new URL(res.body.authorization_url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBe(res.body.state);
    expect(url.searchParams.get('redirect_uri')).toBe('https://app.example/oauth/callback');
    const scopes = url.searchParams.get('scope')!.split(' ');
    expect(scopes).toEqual(expect.arrayContaining(['Mail.Read', 'User.Read', 'offline_access', 'openid', 'profile']));
    expect(scopes.some((s) => /Calendars|ReadWrite|Send/.test(s))).toBe(false);
    expect(Date.parse(res.body.expires_at) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(url.searchParams.get('prompt')).toBe('select_account');
    const hinted = await stack.api('POST', 'integrations/oauth/initiate', {
      token,
      body: { provider: 'microsoft_outlook', login_hint: 'carol@contoso.example' },
    });
    expect(new URL(hinted.body.authorization_url).searchParams.get('login_hint')).toBe('carol@contoso.example');
  });

  it('refuses a redirect URI outside the allow-list and an unknown provider, naming the field', async () => {
    const token = await stack.callerToken('carol@contoso.example');
    const bad = await stack.api('POST', 'integrations/oauth/initiate', {
      token,
      body: { provider: 'microsoft_calendar', redirect_uri: 'https://evil.example/cb' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'redirect_uri' })]);
    const provider = await stack.api('POST', 'integrations/oauth/initiate', { token, body: { provider: 'google' } });
    expect(provider.status).toBe(400);
    expect(provider.body.code).toBe('validation_failed');
    expect(provider.body.errors[0].field).toBe('provider');
  });
});

describe('tokens at rest', () => {
  it('no stored row of any table holds a token Microsoft issued', async () => {
    const { TableClient, TableServiceClient } = await import('@azure/data-tables');
    const { createEnvelope } = await import('../../shared/crypto/envelope.js');
    const { createLocalKeyProvider } = await import('../../shared/crypto/local-key-provider.js');
    const { testTokenKey } = await import('../support/settings.js');
    const res = await stack.connect('dora@contoso.example', 'microsoft_outlook');
    expect(res.status).toBe(201);
    const conn = stack.azurite.connectionString;
    // The tokens MSAL holds for the integration: open its sealed cache with the test key.
    const caches = TableClient.fromConnectionString(conn, 'TokenCaches', { allowInsecureConnection: true });
    const sealed = String((await caches.getEntity<{ cache: string }>(res.body.id, 'msal')).cache);
    const envelope = createEnvelope(createLocalKeyProvider({ key: testTokenKey }));
    // MSAL's serialized cache: credentials by kind, then by key.
    const cache = JSON.parse(
      (await envelope.open(sealed, { purpose: 'msal-cache', subject: res.body.id })).toString('utf8'),
    ) as Record<string, Record<string, { secret?: unknown }> | undefined>;
    const secrets = ['AccessToken', 'RefreshToken', 'IdToken'].flatMap((kind) =>
      Object.values(cache[kind] ?? {}).map((e) => String(e.secret)),
    );
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    // Every row of every table, as raw text.
    const service = TableServiceClient.fromConnectionString(conn, { allowInsecureConnection: true });
    let rows = 0;
    for await (const t of service.listTables()) {
      const client = TableClient.fromConnectionString(conn, t.name!, { allowInsecureConnection: true });
      for await (const row of client.listEntities()) {
        rows++;
        const text = JSON.stringify(row);
        // A token, or any 40-character stretch of one, would show up here.
        for (const secret of secrets)
          for (let i = 0; i + 40 <= secret.length; i += 40) expect(text).not.toContain(secret.slice(i, i + 40));
      }
    }
    expect(rows).toBeGreaterThan(3);
  });
});
