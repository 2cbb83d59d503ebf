import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionTruth } from '../../dev/sim/contract.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';
import { sleep, waitFor, WebhookReceiver, type Obj } from './webhook-receiver.js';

// Change-notification delivery over real HTTPS, knob by knob: delay, duplicates, batching and
// reordering, per-user over global settings, failed deliveries retried with back-off (compressed),
// answers later than 3 s, giving up after the (compressed) 4 hours with `missed`, throttling, counters.

let t: TestSimulator;
const hooks = new WebhookReceiver();
const U = 'deliver@contoso.example';
const V = 'deliver-v@contoso.example';
let token: string;
let tokenV: string;

beforeAll(async () => {
  await hooks.start();
  t = await startTestSimulator({ seed: 17 });
  for (const email of [U, V]) t.sim.createUser({ email, calendar: { events: 20 }, mailbox: { messages: 60 } });
  token = await t.sim.graphAccessToken(U, ['User.Read', 'Mail.Read', 'Calendars.Read'], 'app-d');
  tokenV = await t.sim.graphAccessToken(V, ['User.Read', 'Mail.Read', 'Calendars.Read'], 'app-d');
});
afterAll(async () => {
  await t.sim.close();
  await hooks.close();
});
afterEach(async () => {
  for (const [email, tk] of [
    [U, token],
    [V, tokenV],
  ] as const) {
    for (const s of await truth(email))
      await fetch(`${t.sim.graphBaseUrl}/v1.0/subscriptions/${s.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${tk}` },
      });
    await control('DELETE', `users/${email}/notifications`);
  }
  await control('DELETE', 'notifications');
  hooks.down = false;
});

async function control(method: string, path: string, body?: unknown): Promise<Obj> {
  const res = await fetch(`${t.sim.baseUrl}/_sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Obj) : {};
}

const truth = async (email: string): Promise<SubscriptionTruth[]> =>
  (await control('GET', `users/${email}/subscriptions`)).value as SubscriptionTruth[];

/** Subscribes the token's user to new Inbox mail at `/path` (and lifecycle at `/path-lifecycle`). */
async function subscribe(path: string, tk = token): Promise<string> {
  const res = await fetch(`${t.sim.graphBaseUrl}/v1.0/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tk}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      changeType: 'created',
      notificationUrl: `${hooks.base}${path}`,
      lifecycleNotificationUrl: `${hooks.base}${path}-lifecycle`,
      resource: "me/mailFolders('inbox')/messages",
      expirationDateTime: new Date(Date.now() + 86_400_000).toISOString(),
      clientState: 'c'.repeat(8) + Math.random().toString(36).slice(2),
    }),
  });
  const body = (await res.json()) as Obj;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return String(body.id);
}

const addMail = (n: number, email = U): Promise<Obj> =>
  control('POST', `users/${email}/changes`, { mailbox: { add: n } });
const added = (report: Obj): string[] => (report.mailbox as { added: string[] }).added;
const ids = (path: string): string[] =>
  hooks.at(path).flatMap((r) => r.value.map((n) => String((n.resourceData as Obj).id)));

describe('delivery knobs', () => {
  it('waits delay_ms before the first POST; 0 delivers at once', async () => {
    await subscribe('/delay');
    await control('POST', 'notifications', { delay_ms: 600 });
    const started = Date.now();
    await addMail(1);
    const got = await waitFor(() => hooks.at('/delay')[0]);
    expect(got.atMs - started).toBeGreaterThanOrEqual(590);
    await control('POST', 'notifications', { delay_ms: 0 });
    const again = Date.now();
    await addMail(1);
    const second = await waitFor(() => hooks.at('/delay')[1]);
    expect(second.atMs - again).toBeLessThan(500);
  });

  it('delivers each change `duplicates` times, each copy in its own POST with its own id', async () => {
    const id = await subscribe('/dup');
    await control('POST', `users/${U}/notifications`, { delay_ms: 0, duplicates: 3 });
    const report = await addMail(1);
    await waitFor(() => hooks.at('/dup').length >= 3 && true);
    await sleep(200);
    const posts = hooks.at('/dup');
    expect(posts).toHaveLength(3);
    expect(new Set(ids('/dup'))).toEqual(new Set(added(report)));
    expect(new Set(posts.map((p) => String(p.value[0]?.id))).size).toBe(3);
    expect(posts.every((p) => p.value[0]?.subscriptionId === id)).toBe(true);
    const [row] = await truth(U);
    expect(row?.deliveries).toMatchObject({ attempted: 3, succeeded: 3, failed: 0, notifications_delivered: 3 });
  });

  it('batches notifications to one URL within the window and reorders them; a user setting beats the global one', async () => {
    await subscribe('/batch');
    await subscribe('/batch', tokenV);
    await control('POST', 'notifications', { delay_ms: 0, batch_window_ms: 400, reorder: true });
    await control('POST', `users/${V}/notifications`, { batch_window_ms: 0 });
    const order: string[] = [];
    for (let i = 0; i < 12; i++) order.push(...added(await addMail(1)));
    const vReport = await addMail(2, V);
    await waitFor(() => ids('/batch').length >= 14 && true);
    await sleep(500);
    const posts = hooks.at('/batch');
    const uPosts = posts.filter((p) => order.includes(String((p.value[0]?.resourceData as Obj).id)));
    expect(uPosts).toHaveLength(1);
    const got = uPosts[0]?.value.map((n) => String((n.resourceData as Obj).id)) ?? [];
    expect([...got].sort()).toEqual([...order].sort());
    expect(got).not.toEqual(order);
    // V's own setting (no batch window) wins: its two changes came in one POST of their own, in order.
    const vPosts = posts.filter((p) => added(vReport).includes(String((p.value[0]?.resourceData as Obj).id)));
    expect(vPosts).toHaveLength(1);
    expect((await control('GET', `users/${V}/notifications`)).effective).toMatchObject({
      batch_window_ms: 0,
      reorder: true,
      delay_ms: 0,
    });
  });
});

describe('failed deliveries', () => {
  it('retries non-2xx answers with growing gaps until one succeeds', async () => {
    hooks.scripts.set('/flaky', { statuses: [503, 500, 404, 202] });
    await subscribe('/flaky');
    await control('POST', 'notifications', { delay_ms: 0, retry_time_scale: 0.002 }); // first gap 60 ms
    const report = await addMail(1);
    await waitFor(() => hooks.at('/flaky').length >= 4 && true);
    const posts = hooks.at('/flaky');
    expect(posts.every((p) => String((p.value[0]?.resourceData as Obj).id) === added(report)[0])).toBe(true);
    const gaps = posts.slice(1).map((p, i) => p.atMs - (posts[i]?.atMs ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(55);
    expect(gaps[2] ?? 0).toBeGreaterThan(gaps[0] ?? 0);
    await sleep(300);
    expect(hooks.at('/flaky')).toHaveLength(4);
    const [row] = await truth(U);
    expect(row?.deliveries).toMatchObject({
      attempted: 4,
      succeeded: 1,
      failed: 3,
      dropped: 0,
      notifications_delivered: 1,
    });
  });

  it('counts an answer later than 3 s as failed and retries it', async () => {
    hooks.scripts.set('/late', { delaysMs: [3300, 0] });
    await subscribe('/late');
    await control('POST', 'notifications', { delay_ms: 0, retry_time_scale: 0.001 });
    await addMail(1);
    await waitFor(() => hooks.at('/late').length >= 2 && true, 10_000);
    await sleep(200);
    const [row] = await truth(U);
    expect(row?.deliveries).toMatchObject({ attempted: 2, succeeded: 1, failed: 1 });
  }, 15_000);

  it('delivers what changed while the app was down once it is back', async () => {
    await subscribe('/outage');
    await control('POST', 'notifications', { delay_ms: 0, retry_time_scale: 0.002 });
    hooks.down = true;
    const during = [...added(await addMail(2)), ...added(await addMail(3))];
    await sleep(400);
    expect(hooks.at('/outage')).toHaveLength(0);
    hooks.down = false;
    await waitFor(() => during.every((id) => ids('/outage').includes(id)) && true);
    const [row] = await truth(U);
    expect(row?.deliveries.failed).toBeGreaterThanOrEqual(2);
    expect(row?.deliveries.dropped).toBe(0);
  });

  it('gives up after the (compressed) 4 hours and sends missed to the lifecycle URL', async () => {
    hooks.scripts.set('/dead', { statuses: [500] });
    await subscribe('/dead');
    await control('POST', 'notifications', { delay_ms: 0, retry_time_scale: 0.0002 }); // 4 h = 2.88 s
    await addMail(1);
    const missed = await waitFor(() => hooks.at('/dead-lifecycle')[0], 10_000);
    expect(missed.value[0]).toMatchObject({ lifecycleEvent: 'missed' });
    const [row] = await truth(U);
    expect(row?.deliveries.dropped).toBe(1);
    expect(row?.deliveries.succeeded).toBe(0);
    expect(row?.deliveries.failed).toBe(row?.deliveries.attempted);
    expect(row?.deliveries.attempted).toBeGreaterThan(4);
    const attempts = hooks.at('/dead').length;
    await sleep(500);
    expect(hooks.at('/dead')).toHaveLength(attempts);
  }, 15_000);

  it('stops retrying once the subscription is deleted', async () => {
    hooks.scripts.set('/gone', { statuses: [500] });
    const id = await subscribe('/gone');
    await control('POST', 'notifications', { delay_ms: 0, retry_time_scale: 0.002 });
    await addMail(1);
    await waitFor(() => hooks.at('/gone')[0]);
    await fetch(`${t.sim.graphBaseUrl}/v1.0/subscriptions/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    const attempts = hooks.at('/gone').length;
    await sleep(800);
    expect(hooks.at('/gone').length).toBeLessThanOrEqual(attempts + 1);
  });

  it('delays notifications to a slow endpoint by (scaled) 10 minutes and drops them for a dropping one', async () => {
    await subscribe('/throttled');
    await control('POST', 'notifications', { delay_ms: 0, retry_time_scale: 0.001, throttling: 'slow' }); // 600 ms
    const started = Date.now();
    await addMail(1);
    const got = await waitFor(() => hooks.at('/throttled')[0]);
    expect(got.atMs - started).toBeGreaterThanOrEqual(590);
    await control('POST', 'notifications', { delay_ms: 0, throttling: 'drop' });
    await addMail(1);
    const missed = await waitFor(() => hooks.at('/throttled-lifecycle')[0]);
    expect(missed.value[0]?.lifecycleEvent).toBe('missed');
    expect(hooks.at('/throttled')).toHaveLength(1);
    const [row] = await truth(U);
    expect(row?.deliveries.dropped).toBe(1);
    expect(row?.endpoint.state).toBe('drop');
  });
});
