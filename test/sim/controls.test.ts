import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

// The /_sim control API: validated JSON in and out, delegating to the Graph service and identity state.
let t: TestSimulator;
const EMAIL = 'hopper@contoso.example';
beforeAll(async () => {
  t = await startTestSimulator({ seed: 7 });
});
afterAll(() => t.sim.close());

/** The fields these tests read from control answers. */
interface Answer {
  error?: string;
  issues?: { path: string; message: string }[];
  value?: { email?: string }[];
  access_token?: string;
  displayName?: string;
  total_requests?: number;
  by_path?: Record<string, number>;
  calendar?: { added: string[] };
  mailbox?: { added: string[] };
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Answer }> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${t.sim.baseUrl}/_sim${path}`, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Answer };
}
const user = `/users/${encodeURIComponent(EMAIL)}`;

describe('/_sim controls', () => {
  it('creates users through the Graph service, refusing bad input and duplicates', async () => {
    const created = await call('POST', '/users', {
      email: EMAIL,
      display_name: 'Grace Hopper',
      calendar: { events: 6, recurring_series: 1, all_day: 1 },
      mailbox: { messages: 5, unread_share: 0.4, folders: ['archive'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(t.sim.graph.findUser(EMAIL));
    expect(created.body.displayName).toBe('Grace Hopper');
    expect((await call('POST', '/users', { email: EMAIL })).status).toBe(409);
    for (const bad of [
      { email: 'not-an-email' },
      { email: 'x@y.example', calendar: { events: -1 } },
      { email: 'x@y.example', surprise: true },
    ]) {
      const res = await call('POST', '/users', bad);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.issues?.length).toBeGreaterThan(0);
    }
    expect((await call('POST', '/users', '{not json')).body.error).toBe('invalid_json');
    expect(t.sim.graph.findUser('x@y.example')).toBeUndefined();
  });

  it('registers apps without echoing the secret, and validates them', async () => {
    const ok = await call('POST', '/apps', {
      client_id: 'app-2',
      client_secret: 's3cret',
      redirect_uris: ['https://app.example/cb'],
    });
    expect(ok.status).toBe(201);
    expect(JSON.stringify(ok.body)).not.toContain('s3cret');
    expect(
      (await call('POST', '/apps', { client_id: 'app-3', client_secret: 's', redirect_uris: ['not a url'] })).status,
    ).toBe(400);
    expect((await call('POST', '/apps', { client_id: 'app-3', redirect_uris: ['https://a.example'] })).status).toBe(
      400,
    );
  });

  it('answers ground truth for the calendar and mailbox, and applies changes', async () => {
    const start = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const end = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const cal = await call('GET', `${user}/calendar?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`);
    expect(cal.status).toBe(200);
    expect(cal.body.value).toEqual(
      JSON.parse(JSON.stringify(t.sim.graph.calendarTruth(EMAIL, new Date(start), new Date(end)))),
    );
    expect(
      (await call('GET', `${user}/calendar?start=${encodeURIComponent(end)}&end=${encodeURIComponent(start)}`)).status,
    ).toBe(400);
    expect((await call('GET', `${user}/calendar?start=yesterday&end=${encodeURIComponent(end)}`)).status).toBe(400);
    const mail = await call('GET', `${user}/mailbox`);
    expect(mail.body.value).toEqual(JSON.parse(JSON.stringify(t.sim.graph.mailboxTruth(EMAIL))));
    expect(mail.body.value?.length).toBeGreaterThanOrEqual(5);

    const changed = await call('POST', `${user}/changes`, { calendar: { add: 2 }, mailbox: { add: 1, mark_read: 1 } });
    expect(changed.status).toBe(200);
    expect(changed.body.calendar?.added).toHaveLength(2);
    expect(changed.body.mailbox?.added).toHaveLength(1);
    expect((await call('GET', `${user}/mailbox`)).body.value?.length).toBe((mail.body.value?.length ?? 0) + 1);
    expect((await call('POST', `${user}/changes`, { calendar: { add: 'two' } })).status).toBe(400);
    expect((await call('POST', '/users/nobody%40contoso.example/changes', {})).status).toBe(404);
    expect((await call('GET', '/users/nobody%40contoso.example/mailbox')).status).toBe(404);
  });

  it('mints caller tokens that verify against the published JWKS, with the requested times and audience', async () => {
    const jwks = createRemoteJWKSet(new URL(t.sim.callerJwksUri));
    const minted = await call('POST', '/caller-token', { email: EMAIL });
    expect(minted.status).toBe(200);
    const token = minted.body.access_token ?? '';
    const { payload } = await jwtVerify(token, jwks, { issuer: t.sim.callerIssuer, audience: 'api://integrato' });
    const u = t.sim.graph.findUser(EMAIL)!;
    expect(payload).toMatchObject({ oid: u.id, tid: t.sim.tenantId, name: 'Grace Hopper', preferred_username: EMAIL });
    expect(typeof payload.sub).toBe('string');
    expect(decodeProtectedHeader(token).kid).toBeTruthy();

    const expired = (await call('POST', '/caller-token', { email: EMAIL, expires_in: -60 })).body.access_token ?? '';
    await expect(
      jwtVerify(expired, jwks, { issuer: t.sim.callerIssuer, audience: 'api://integrato' }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    const early = (await call('POST', '/caller-token', { email: EMAIL, not_before_in: 600 })).body.access_token ?? '';
    await expect(jwtVerify(early, jwks)).rejects.toMatchObject({ claim: 'nbf' });
    const other =
      (await call('POST', '/caller-token', { email: EMAIL, audience: 'api://other', issuer: 'https://issuer.example' }))
        .body.access_token ?? '';
    await expect(
      jwtVerify(other, jwks, { issuer: 'https://issuer.example', audience: 'api://other' }),
    ).resolves.toBeTruthy();
    expect((await call('POST', '/caller-token', { email: 'nobody@contoso.example' })).status).toBe(404);
    expect((await call('POST', '/caller-token', { email: EMAIL, expires_in: 'soon' })).status).toBe(400);
  });

  it('answers 404 and 405 for unknown controls, and never counts control requests in the stats', async () => {
    expect((await call('DELETE', '/stats')).status).toBe(204);
    expect((await call('GET', '/nothing-here')).status).toBe(404);
    expect((await call('PUT', '/faults', {})).status).toBe(405);
    expect((await call('GET', '/users')).body.value?.map((u) => u.email)).toContain(EMAIL);
    const stats = await call('GET', '/stats');
    expect(stats.body.total_requests).toBe(0);
    expect(stats.body.by_path).toEqual({});
  });
});
