import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthorizeUrl, startTestSimulator, type TestSimulator } from '../support/sim.js';

// The authorize endpoint and the consent behaviour, driven as a browser would (fetch, no redirects).
let t: TestSimulator;
const FIRST = 'first@contoso.example';
beforeAll(async () => {
  t = await startTestSimulator();
  for (const email of [FIRST, 'second@contoso.example']) {
    t.sim.createUser({ email, calendar: { events: 1, recurring_series: 0, all_day: 0 }, mailbox: { messages: 1 } });
  }
});
afterAll(() => t.sim.close());

const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
function authorizeUrl(overrides: Record<string, string | undefined> = {}): string {
  const url = new URL(`${t.sim.baseUrl}/${t.sim.tenantId}/oauth2/v2.0/authorize`);
  const params: Record<string, string | undefined> = {
    client_id: t.settings.MICROSOFT_CLIENT_ID,
    redirect_uri: t.settings.OAUTH_REDIRECT_URIS,
    response_type: 'code',
    scope: 'Calendars.Read offline_access openid profile',
    state: 'st-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}
const control = (path: string, body: unknown): Promise<Response> =>
  fetch(`${t.sim.baseUrl}/_sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('authorize endpoint', () => {
  it('shows an error page, and does not redirect, for an unknown client or an unregistered redirect URI', async () => {
    const unknown = await openAuthorizeUrl(authorizeUrl({ client_id: 'not-registered' }));
    expect(unknown.status).toBe(400);
    expect(unknown.params).toBeUndefined();
    expect(unknown.page).toContain('AADSTS700016');
    const badRedirect = await openAuthorizeUrl(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }));
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.params).toBeUndefined();
    expect(badRedirect.page).toContain('AADSTS50011');
  });

  it.each([
    [{ code_challenge: undefined }, 'invalid_request'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ scope: undefined }, 'invalid_request'],
    [{ scope: 'api://other/thing' }, 'invalid_scope'],
  ])('redirects back with an error for %j', async (overrides, error) => {
    const outcome = await openAuthorizeUrl(authorizeUrl(overrides));
    expect(outcome.status).toBe(302);
    expect(outcome.params?.get('error')).toBe(error);
    expect(outcome.params?.get('error_description')).toMatch(/^AADSTS\d+: /);
    expect(outcome.params?.get('state')).toBe('st-1');
    expect(outcome.params?.get('code')).toBeNull();
  });

  it('issues a code for the login_hint user, or the first seeded user without a hint', async () => {
    const hinted = await openAuthorizeUrl(authorizeUrl({ login_hint: 'second@contoso.example' }));
    const unhinted = await openAuthorizeUrl(authorizeUrl());
    expect(hinted.params?.get('code')).toBeTruthy();
    expect(unhinted.params?.get('code')).toBeTruthy();
    const unknownUser = await openAuthorizeUrl(authorizeUrl({ login_hint: 'nobody@contoso.example' }));
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.page).toContain('AADSTS50034');
  });
});

describe('consent behaviour', () => {
  it('with auto-consent off, shows a consent page whose Accept and Decline post back to the simulator', async () => {
    expect((await control('consent', { auto: false })).status).toBe(200);
    try {
      for (const [decision, expected] of [
        ['accept', 'code'],
        ['deny', 'error'],
      ] as const) {
        const page = await openAuthorizeUrl(authorizeUrl());
        expect(page.status).toBe(200);
        const form = new RegExp(
          `<form method="post" action="([^"]+)"><input type="hidden" name="request" value="([^"]+)"><input type="hidden" name="decision" value="${decision}">`,
        ).exec(page.page ?? '');
        expect(form).not.toBeNull();
        const res = await fetch(form![1]!.replace(/&#38;/g, '&'), {
          method: 'POST',
          redirect: 'manual',
          body: new URLSearchParams({ request: form![2]!, decision }),
        });
        expect(res.status).toBe(302);
        const params = new URL(res.headers.get('location')!).searchParams;
        expect(params.get(expected)).toBeTruthy();
        expect(params.get('state')).toBe('st-1');
        if (decision === 'deny') expect(params.get('error')).toBe('access_denied');
      }
    } finally {
      await control('consent', { auto: true });
    }
  });

  it("'next: deny' refuses only the next authorization", async () => {
    const set = await control('consent', { next: 'deny' });
    expect(await set.json()).toEqual({ auto: true, next: 'deny' });
    const denied = await openAuthorizeUrl(authorizeUrl());
    expect(denied.params?.get('error')).toBe('access_denied');
    expect(denied.params?.get('error_description')).toContain('AADSTS65004');
    expect(denied.params?.get('state')).toBe('st-1');
    const accepted = await openAuthorizeUrl(authorizeUrl());
    expect(accepted.params?.get('code')).toBeTruthy();
  });

  it('rejects a bad consent control body with 400', async () => {
    const res = await control('consent', { next: 'maybe' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('validation_failed');
  });
});
