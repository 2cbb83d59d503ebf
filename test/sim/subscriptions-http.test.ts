import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import type { SubscriptionTruth } from '../../dev/sim/contract.js';
import { clientStateStrength } from '../../dev/sim/graph/client-state-strength.js';
import { secretWatch } from '../support/secret-watch.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { sleep, WebhookReceiver, type Obj } from './webhook-receiver.js';

// Subscriptions over real HTTPS as Graph documents them: the handshake on both URLs, the checks on
// creation, 409 on duplicates, per-app ownership, renewal, reauthorize, delete, expiry, the
// ground truth control (clientState never in clear) and the fault that refuses creation.

let t: TestSimulator;
const hooks = new WebhookReceiver();
const A = 'subs-a@contoso.example';
const B = 'subs-b@contoso.example';
const SCOPES = ['User.Read', 'Calendars.Read', 'Mail.Read'];
let tokenA: string;
let tokenA2: string;
let tokenOtherApp: string;
let tokenB: string;

beforeAll(async () => {
  await hooks.start();
  t = await startTestSimulator({ seed: 13 });
  for (const email of [A, B]) t.sim.createUser({ email, calendar: { events: 5 }, mailbox: { messages: 5 } });
  tokenA = await t.sim.graphAccessToken(A, SCOPES, 'app-one');
  tokenA2 = await t.sim.graphAccessToken(A, SCOPES, 'app-one');
  tokenOtherApp = await t.sim.graphAccessToken(A, SCOPES, 'app-two');
  tokenB = await t.sim.graphAccessToken(B, SCOPES, 'app-one');
});
afterAll(async () => {
  await t.sim.close();
  await hooks.close();
});

async function graph(
  method: string,
  path: string,
  token = tokenA,
  body?: unknown,
): Promise<{ status: number; body: Obj }> {
  const res = await fetch(`${t.sim.graphBaseUrl}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Obj) : {} };
}

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Obj }> {
  const res = await fetch(`${t.sim.baseUrl}/_sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Obj) : {} };
}

const truth = async (email: string, removed = false): Promise<SubscriptionTruth[]> =>
  (await control('GET', `users/${email}/subscriptions${removed ? '?include_removed=true' : ''}`)).body
    .value as SubscriptionTruth[];

const inMinutes = (m: number): string => new Date(Date.now() + m * 60_000).toISOString();
const errorCode = (b: Obj): unknown => (b.error as Obj | undefined)?.code;
const CLIENT_STATE = 'f3a9c2e1b7d44e0fa9c8b6d5e4f3a2b1c0d9e8f7a6b5c4d3';

function subscription(over: Obj = {}): Obj {
  return {
    changeType: 'created,updated,deleted',
    notificationUrl: `${hooks.base}/notify`,
    lifecycleNotificationUrl: `${hooks.base}/lifecycle`,
    resource: "me/mailFolders('inbox')/messages",
    expirationDateTime: inMinutes(24 * 60),
    clientState: CLIENT_STATE,
    ...over,
  };
}

describe('creating a subscription', () => {
  it('validates both URLs with a token of spaces and "+" sent percent-encoded, then answers 201', async () => {
    const before = hooks.handshakes.length;
    const res = await graph('POST', '/subscriptions', tokenA, subscription());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const seen = hooks.handshakes.slice(before);
    expect(seen.map((h) => h.path)).toEqual(['/notify', '/lifecycle']);
    for (const h of seen) {
      expect(h.token).toContain(' ');
      expect(h.token).toContain('+');
      expect(h.rawQuery).toContain('%2B');
      expect(h.rawQuery).not.toMatch(/validationToken=[^&]*\+/);
      expect(h.contentType).toBe('text/plain; charset=utf-8');
      expect(h.body).toBe('');
    }
    expect(res.body).toMatchObject({ applicationId: 'app-one', creatorId: t.sim.graph.findUser(A)?.id });
    // The suite's secret watch now knows the clientState: a log line carrying it fails this file.
    expect(secretWatch().secrets.get(CLIENT_STATE)).toBe('clientState');
    await graph('DELETE', `/subscriptions/${String(res.body.id)}`);
  });

  it('refuses when either endpoint answers wrongly or too late, and sends the handshake_body knob', async () => {
    hooks.scripts.set('/bad-echo', { handshake: 'wrong' });
    hooks.scripts.set('/html', { handshake: 'html' });
    hooks.scripts.set('/slow', { handshakeDelayMs: 800 });
    const wrongLifecycle = await graph(
      'POST',
      '/subscriptions',
      tokenA,
      subscription({ lifecycleNotificationUrl: `${hooks.base}/bad-echo` }),
    );
    expect(wrongLifecycle.status).toBe(400);
    expect(errorCode(wrongLifecycle.body)).toBe('ValidationError');
    const html = await graph('POST', '/subscriptions', tokenA, subscription({ notificationUrl: `${hooks.base}/html` }));
    expect(html.status).toBe(400);
    expect(String((html.body.error as Obj).message)).toContain('text/plain');

    await control('POST', `users/${A}/notifications`, { handshake_timeout_ms: 300, handshake_body: '{not json' });
    const started = Date.now();
    const slow = await graph('POST', '/subscriptions', tokenA, subscription({ notificationUrl: `${hooks.base}/slow` }));
    expect(slow.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(800);
    const ok = await graph('POST', '/subscriptions', tokenA, subscription());
    expect(ok.status).toBe(201);
    expect(hooks.handshakes.at(-1)?.body).toBe('{not json');
    await control('DELETE', `users/${A}/notifications`);
    await graph('DELETE', `/subscriptions/${String(ok.body.id)}`);
    expect(await truth(A)).toEqual([]);
  });

  it('checks expiry, resource and scopes as Graph does', async () => {
    expect(
      (await graph('POST', '/subscriptions', tokenA, subscription({ expirationDateTime: inMinutes(10_081) }))).status,
    ).toBe(400);
    expect((await graph('POST', '/subscriptions', tokenA, subscription({ resource: 'me/contacts' }))).status).toBe(400);
    expect(
      (await graph('POST', '/subscriptions', tokenA, subscription({ resource: 'me/calendars/nope/events' }))).status,
    ).toBe(400);
    const mailOnly = await t.sim.graphAccessToken(A, ['User.Read', 'Mail.Read'], 'app-one');
    const denied = await graph('POST', '/subscriptions', mailOnly, subscription({ resource: 'me/events' }));
    expect(denied.status).toBe(403);
    const sharedOnly = await t.sim.graphAccessToken(A, ['User.Read', 'Calendars.Read.Shared'], 'app-one');
    expect((await graph('POST', '/subscriptions', sharedOnly, subscription({ resource: 'me/events' }))).status).toBe(
      403,
    );

    // A short expiry is raised to 45 minutes.
    const short = await graph('POST', '/subscriptions', tokenA, subscription({ expirationDateTime: inMinutes(5) }));
    expect(short.status).toBe(201);
    expect(Date.parse(String(short.body.expirationDateTime)) - Date.now()).toBeGreaterThan(44 * 60_000);
    await graph('DELETE', `/subscriptions/${String(short.body.id)}`);
  });

  it('subscribes to a calendar by id and answers 409 naming the existing subscription for a duplicate', async () => {
    const calendars = (await graph('GET', '/me/calendars')).body.value as Obj[];
    const calendarId = String(calendars[0]?.id);
    const body = subscription({ resource: `me/calendars/${calendarId}/events` });
    const first = await graph('POST', '/subscriptions', tokenA, body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await graph('POST', '/subscriptions', tokenA2, { ...body, changeType: 'deleted,updated,created' });
    expect(again.status).toBe(409);
    expect(errorCode(again.body)).toBe('ExtensionError');
    expect(String((again.body.error as Obj).message)).toContain(
      `Subscription Id ${String(first.body.id)} already exists`,
    );
    // Another app may watch the same resource; it does not see app one's subscription.
    const other = await graph('POST', '/subscriptions', tokenOtherApp, body);
    expect(other.status).toBe(201);
    const listed = (await graph('GET', '/subscriptions', tokenOtherApp)).body.value as Obj[];
    expect(listed.map((s) => s.id)).toEqual([other.body.id]);
    expect((await graph('GET', `/subscriptions/${String(first.body.id)}`, tokenOtherApp)).status).toBe(404);
    for (const [id, token] of [
      [first.body.id, tokenA],
      [other.body.id, tokenOtherApp],
    ] as const)
      expect((await graph('DELETE', `/subscriptions/${String(id)}`, token)).status).toBe(204);
  });

  it('refuses creation for the users the fault names, with ExtensionError', async () => {
    await control('POST', 'faults', { refuse_subscriptions_for: [A] });
    const refused = await graph('POST', '/subscriptions', tokenA, subscription());
    expect(refused.status).toBe(403);
    expect(errorCode(refused.body)).toBe('ExtensionError');
    const fine = await graph('POST', '/subscriptions', tokenB, subscription());
    expect(fine.status).toBe(201);
    await control('POST', 'faults', { refuse_subscriptions_for: ['*'], refuse_subscriptions_status: 400 });
    expect((await graph('POST', '/subscriptions', tokenB, subscription({ resource: 'me/messages' }))).status).toBe(400);
    expect((await graph('GET', '/me/messages?$top=1', tokenA)).status).toBe(200);
    await control('DELETE', 'faults');
    await graph('DELETE', `/subscriptions/${String(fine.body.id)}`, tokenB);
  });
});

describe('managing a subscription', () => {
  it('renews (recording the token), reauthorizes, deletes, and answers 404 when gone', async () => {
    const created = await graph('POST', '/subscriptions', tokenA, subscription());
    const id = String(created.body.id);
    await sleep(1100); // a token issued a second later has a later iat
    const fresh = await t.sim.graphAccessToken(A, SCOPES, 'app-one');
    const renewed = await graph('PATCH', `/subscriptions/${id}`, fresh, { expirationDateTime: inMinutes(3 * 24 * 60) });
    expect(renewed.status).toBe(200);
    expect(Date.parse(String(renewed.body.expirationDateTime))).toBeGreaterThan(Date.now() + 2.9 * 86_400_000);
    const reauth = await fetch(`${t.sim.graphBaseUrl}/v1.0/subscriptions/${id}/reauthorize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fresh}` },
    });
    expect(reauth.status).toBe(204);
    const [row] = await truth(A);
    expect(row?.renewals).toHaveLength(1);
    expect(row?.reauthorizations).toHaveLength(1);
    const issued = Date.parse(String(row?.renewals[0]?.token_issued_at));
    expect(issued).toBeGreaterThan(Date.parse(row?.created_at ?? '')); // the fresh token's, not the first one's
    expect(row?.expiration_date_time).toBe(new Date(Date.parse(String(renewed.body.expirationDateTime))).toISOString());

    expect((await graph('GET', `/subscriptions/${id}`, tokenB)).status).toBe(404);
    expect((await graph('DELETE', `/subscriptions/${id}`)).status).toBe(204);
    for (const [method, path] of [
      ['GET', `/subscriptions/${id}`],
      ['DELETE', `/subscriptions/${id}`],
      ['POST', `/subscriptions/${id}/reauthorize`],
    ] as const)
      expect((await graph(method, path)).status, `${method} ${path}`).toBe(404);
    expect((await graph('PATCH', `/subscriptions/${id}`, tokenA, { expirationDateTime: inMinutes(100) })).status).toBe(
      404,
    );
    const removed = (await truth(A, true)).find((s) => s.id === id);
    expect(removed?.removed?.reason).toBe('deleted');
  });

  it('expires a subscription at its expiry (moved by the control): gone at Graph and in the truth', async () => {
    const created = await graph('POST', '/subscriptions', tokenA, subscription());
    const id = String(created.body.id);
    const moved = await control('POST', `users/${A}/subscriptions/${id}/expiry`, { expires_in_s: 1 });
    expect(moved.status).toBe(200);
    expect((await graph('GET', `/subscriptions/${id}`)).status).toBe(200);
    await sleep(2200);
    expect((await graph('GET', `/subscriptions/${id}`)).status).toBe(404);
    expect(await truth(A)).toEqual([]);
    expect((await truth(A, true)).find((s) => s.id === id)?.removed?.reason).toBe('expired');
    expect((await control('POST', `users/${A}/subscriptions/${id}/expiry`, { expires_in_s: 60 })).status).toBe(404);
  });
});

describe('ground truth', () => {
  it('lists the live subscriptions with the clientState only as its strength', async () => {
    const strong = await graph('POST', '/subscriptions', tokenA, subscription());
    const weak = await graph(
      'POST',
      '/subscriptions',
      tokenA,
      subscription({ resource: 'me/messages', clientState: 'secretClientValue' }),
    );
    const res = await fetch(`${t.sim.baseUrl}/_sim/users/${A}/subscriptions`);
    const text = await res.text();
    expect(text).not.toContain(CLIENT_STATE);
    expect(text).not.toContain('secretClientValue');
    const rows = (JSON.parse(text) as { value: SubscriptionTruth[] }).value;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(String(strong.body.id))).toMatchObject({
      resource: "me/mailFolders('inbox')/messages",
      change_type: 'created,updated,deleted',
      notification_url: `${hooks.base}/notify`,
      lifecycle_notification_url: `${hooks.base}/lifecycle`,
      client_state: { present: true, length: CLIENT_STATE.length, at_least_128_bits: true },
    });
    expect(byId.get(String(weak.body.id))?.client_state).toMatchObject({ present: true, at_least_128_bits: false });
    expect((await control('GET', `users/nobody@contoso.example/subscriptions`)).status).toBe(404);
    expect((await control('POST', `users/${A}/notifications`, { delay_ms: -1 })).status).toBe(400);
    expect((await control('POST', `users/${A}/notifications`, { bogus: 1 })).status).toBe(400);
    for (const r of rows) await graph('DELETE', `/subscriptions/${r.id}`);
  });

  it('estimates clientState strength: 128 random bits pass, UUIDs, constants and short values do not', () => {
    const strong = (v: string): boolean => clientStateStrength(v).at_least_128_bits;
    for (let i = 0; i < 20; i++) {
      expect(strong(randomBytes(16).toString('base64url'))).toBe(true); // 22 chars
      expect(strong(randomBytes(16).toString('hex'))).toBe(true);
      expect(strong(randomBytes(16).toString('base64'))).toBe(true);
      expect(strong(randomUUID())).toBe(false); // 122 random bits
      expect(strong(randomBytes(12).toString('base64url'))).toBe(false); // 96 bits
    }
    expect(strong('a'.repeat(128))).toBe(false);
    expect(strong('ab'.repeat(64))).toBe(false);
    expect(strong(String(Date.now()))).toBe(false);
    expect(clientStateStrength(null)).toEqual({
      present: false,
      length: 0,
      estimated_bits: 0,
      at_least_128_bits: false,
    });
  });
});
