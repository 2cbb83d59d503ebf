import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionTruth } from '../../dev/sim/contract.js';
import { DEFAULT_SETTINGS } from '../../dev/sim/graph/delivery-settings.js';
import { EndpointHealth } from '../../dev/sim/graph/endpoint-health.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { sleep, waitFor, WebhookReceiver, type Obj } from './webhook-receiver.js';

// Lifecycle notifications over real HTTPS: on demand (missed, subscriptionRemoved,
// reauthorizationRequired) in the documented shape, the automatic reauthorizationRequired ahead of
// expiry (and its knob), change notifications on a calendar subscription; Graph's slow-endpoint rule.

let t: TestSimulator;
const hooks = new WebhookReceiver();
const U = 'life@contoso.example';
let token: string;
const CLIENT_STATE = 'Zq8v3LrT0xW9mPa2KcYe7HnB4sUd6FgJ1oQiVt5R';

const lifecycleDoc = (
  JSON.parse(
    readFileSync(new URL('../fixtures/graph-examples/lifecycle-notification.json', import.meta.url), 'utf8'),
  ) as { request: { body: { value: Obj[] } } }
).request.body.value[0] as Obj;

beforeAll(async () => {
  await hooks.start();
  t = await startTestSimulator({ seed: 19 });
  t.sim.createUser({ email: U, calendar: { events: 30 }, mailbox: { messages: 10 } });
  token = await t.sim.graphAccessToken(U, ['User.Read', 'Mail.Read', 'Calendars.Read'], 'app-l');
});
afterAll(async () => {
  await t.sim.close();
  await hooks.close();
});
afterEach(async () => {
  for (const s of await truth()) await graph('DELETE', `/subscriptions/${s.id}`);
  await control('DELETE', 'notifications');
});

async function graph(method: string, path: string, body?: unknown): Promise<{ status: number; body: Obj }> {
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

const truth = async (): Promise<SubscriptionTruth[]> =>
  (await control('GET', `users/${U}/subscriptions`)).body.value as SubscriptionTruth[];

async function subscribe(path: string, over: Obj = {}): Promise<string> {
  const res = await graph('POST', '/subscriptions', {
    changeType: 'created,updated,deleted',
    notificationUrl: `${hooks.base}${path}`,
    lifecycleNotificationUrl: `${hooks.base}${path}-lifecycle`,
    resource: 'me/messages',
    expirationDateTime: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    clientState: CLIENT_STATE,
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

describe('lifecycle events on demand', () => {
  it('sends missed and reauthorizationRequired in the documented shape, to the lifecycle URL only', async () => {
    const id = await subscribe('/on-demand');
    await control('POST', 'notifications', { delay_ms: 0 });
    for (const event of ['missed', 'reauthorizationRequired']) {
      const res = await control('POST', `users/${U}/subscriptions/lifecycle`, { event, subscription_id: id });
      expect(res.body).toEqual({ event, value: [{ id, sent: true }] });
    }
    await waitFor(() => hooks.at('/on-demand-lifecycle').length >= 2 && true);
    const got = hooks.at('/on-demand-lifecycle').map((r) => r.value[0] as Obj);
    expect(got.map((n) => n.lifecycleEvent)).toEqual(['missed', 'reauthorizationRequired']);
    for (const n of got) {
      expect(Object.keys(n).sort()).toEqual(Object.keys(lifecycleDoc).sort());
      expect(n).toMatchObject({ subscriptionId: id, clientState: CLIENT_STATE });
      expect(Number.isNaN(Date.parse(String(n.subscriptionExpirationDateTime)))).toBe(false);
    }
    expect(hooks.at('/on-demand')).toHaveLength(0);
    expect((await truth())[0]?.deliveries.lifecycle_delivered).toEqual({ missed: 1, reauthorizationRequired: 1 });
    expect((await graph('GET', `/subscriptions/${id}`)).status).toBe(200);
  });

  it('subscriptionRemoved removes the subscription: 404 at Graph, no more change notifications', async () => {
    const id = await subscribe('/removed');
    await control('POST', 'notifications', { delay_ms: 0 });
    const res = await control('POST', `users/${U}/subscriptions/lifecycle`, { event: 'subscriptionRemoved' });
    expect(res.body.value).toEqual([{ id, sent: true }]);
    const got = await waitFor(() => hooks.at('/removed-lifecycle')[0]);
    expect(got.value[0]).toMatchObject({ lifecycleEvent: 'subscriptionRemoved', subscriptionId: id });
    expect((await graph('GET', `/subscriptions/${id}`)).status).toBe(404);
    await control('POST', `users/${U}/changes`, { mailbox: { add: 2 } });
    await sleep(300);
    expect(hooks.at('/removed')).toHaveLength(0);
    const removed = (
      (await control('GET', `users/${U}/subscriptions?include_removed=true`)).body.value as SubscriptionTruth[]
    ).find((s) => s.id === id);
    expect(removed?.removed?.reason).toBe('subscriptionRemoved');
    expect(removed?.deliveries.lifecycle_delivered).toEqual({ subscriptionRemoved: 1 });
  });

  it('reports sent: false without a lifecycleNotificationUrl, and 404 for an unknown id', async () => {
    const id = await subscribe('/plain', { lifecycleNotificationUrl: undefined });
    const res = await control('POST', `users/${U}/subscriptions/lifecycle`, { event: 'missed' });
    expect(res.body.value).toEqual([{ id, sent: false }]);
    const unknown = await control('POST', `users/${U}/subscriptions/lifecycle`, {
      event: 'missed',
      subscription_id: 'x',
    });
    expect(unknown.status).toBe(404);
    expect((await control('POST', `users/${U}/subscriptions/lifecycle`, { event: 'born' })).status).toBe(400);
  });
});

describe('automatic reauthorizationRequired', () => {
  it('goes out once when a subscription comes within the lead of its expiry, not when disabled', async () => {
    await control('POST', 'notifications', { delay_ms: 0, reauthorization_lead_s: 600 });
    const id = await subscribe('/auto');
    const quiet = await subscribe('/quiet', { resource: "me/mailFolders('inbox')/messages" });
    await control('POST', `users/${U}/notifications`, { delay_ms: 0, reauthorization_lead_s: 600 });
    await sleep(1200);
    expect(hooks.at('/auto-lifecycle')).toHaveLength(0); // two days away
    await control('POST', `users/${U}/subscriptions/${id}/expiry`, { expires_in_s: 300 });
    const got = await waitFor(() => hooks.at('/auto-lifecycle')[0]);
    expect(got.value[0]).toMatchObject({ lifecycleEvent: 'reauthorizationRequired', subscriptionId: id });
    await sleep(1300);
    expect(hooks.at('/auto-lifecycle')).toHaveLength(1);

    await control('POST', `users/${U}/notifications`, { auto_reauthorization: false });
    await control('POST', `users/${U}/subscriptions/${quiet}/expiry`, { expires_in_s: 300 });
    await sleep(1300);
    expect(hooks.at('/quiet-lifecycle')).toHaveLength(0);
    await control('DELETE', `users/${U}/notifications`);
  });
});

describe('an unanswered reauthorizationRequired', () => {
  it('pauses change notifications after pause_after_reauthorization_s, until reauthorize', async () => {
    const id = await subscribe('/paused');
    await control('POST', 'notifications', { delay_ms: 0, pause_after_reauthorization_s: 0 });
    await control('POST', `users/${U}/subscriptions/lifecycle`, { event: 'reauthorizationRequired' });
    await waitFor(() => hooks.at('/paused-lifecycle')[0]);
    expect((await truth())[0]?.reauthorization_pending_since).not.toBeNull();
    await control('POST', `users/${U}/changes`, { mailbox: { add: 2 } });
    await sleep(300);
    expect(hooks.at('/paused')).toHaveLength(0);
    expect((await truth())[0]?.deliveries.dropped).toBe(2);
    const res = await fetch(`${t.sim.graphBaseUrl}/v1.0/subscriptions/${id}/reauthorize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
    expect((await truth())[0]?.reauthorization_pending_since).toBeNull();
    await control('POST', `users/${U}/changes`, { mailbox: { add: 1 } });
    await waitFor(() => hooks.at('/paused')[0]);
  });
});

describe('calendar subscriptions', () => {
  it('notifies a me/calendars/{id}/events subscription of changes in that calendar only, per calendar', async () => {
    const cals = (await graph('GET', '/me/calendars')).body.value as Obj[];
    const def = cals.find((c) => c.isDefaultCalendar === true) ?? cals[0];
    await control('POST', 'notifications', { delay_ms: 0 });
    await subscribe('/calendar', { resource: `me/calendars/${String(def?.id)}/events`, changeType: 'updated' });
    const report = (await control('POST', `users/${U}/changes`, { calendar: { update: 2 } })).body;
    const updated = (report.calendar as { updated: string[] }).updated;
    await waitFor(() => hooks.at('/calendar')[0]);
    await sleep(200);
    const got = hooks.at('/calendar').flatMap((r) => r.value);
    expect(got.map((n) => String((n.resourceData as Obj).id)).sort()).toEqual([...updated].sort());
    expect(got.every((n) => n.changeType === 'updated' && String(n.resource).includes('/Events/'))).toBe(true);

    // A second calendar: its changes reach its own subscription, not the default calendar's.
    const second = (await control('POST', `users/${U}/calendars`, { name: 'Team', events: 5 })).body;
    await subscribe('/second', { resource: `me/calendars/${String(second.id)}/events`, changeType: 'updated' });
    const before = hooks.at('/calendar').length;
    const report2 = (
      await control('POST', `users/${U}/calendars/${String(second.id)}/changes`, { calendar: { update: 1 } })
    ).body;
    const got2 = await waitFor(() => hooks.at('/second')[0]);
    expect(String((got2.value[0]?.resourceData as Obj).id)).toBe(
      (report2.calendar as { updated: string[] }).updated[0],
    );
    await sleep(200);
    expect(hooks.at('/calendar')).toHaveLength(before);
  });
});

describe("Graph's slow-endpoint rule", () => {
  it('flags an endpoint slow at 10 % slow answers of 100+, dropping at 15 %, and forgets after the window', async () => {
    const health = new EndpointHealth();
    const s = { ...DEFAULT_SETTINGS, retry_time_scale: 0.0001 }; // a 60 ms window
    const url = 'https://localhost/x';
    for (let i = 0; i < 89; i++) health.record(url, 100, s);
    for (let i = 0; i < 10; i++) health.record(url, 3000, s);
    expect(health.state(url, s)).toBe('ok'); // 99 answers: too few to judge
    health.record(url, 100, s);
    expect(health.state(url, s)).toBe('slow'); // 10 of 100
    for (let i = 0; i < 8; i++) health.record(url, 2901, s);
    expect(health.state(url, s)).toBe('drop'); // 18 of 108
    expect(health.state(url, { ...s, throttling: 'off' })).toBe('ok');
    await sleep(80);
    expect(health.describe(url, s)).toEqual({ state: 'ok', answers: 0, slow_answers: 0 });
  });
});
