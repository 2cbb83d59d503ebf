import type { SubscriptionTruth } from '../../dev/sim/contract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';
import { DELTA, graphCount, untilCalendarMatches, untilRealtime } from './realtime-support.js';

// Lifecycle events, duplicates, refused creation and DELETE against the simulator's ground truth.
let stack: Stack;
const users: Record<string, { token: string; id: string }> = {};

beforeAll(async () => {
  stack = await startStack({ webhooks: true });
  await simControl(stack.sim, 'POST', 'notifications', { delay_ms: 0 });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

async function connect(email: string) {
  stack.user(email, { email, calendar: { events: 15, recurring_series: 0, all_day: 1 }, mailbox: { messages: 3 } });
  const token = await stack.callerToken(email);
  const id = await stack.connectedId(email, 'microsoft_calendar');
  users[email] = { token, id };
  return { token, id };
}

const truth = async (email: string, removed = false) =>
  (
    (await simControl(stack.sim, 'GET', `users/${email}/subscriptions${removed ? '?include_removed=true' : ''}`)) as {
      value: SubscriptionTruth[];
    }
  ).value;
const lifecycle = (email: string, event: string) =>
  simControl(stack.sim, 'POST', `users/${email}/subscriptions/lifecycle`, { event });
const rounds = () => graphCount(stack, DELTA);
const settle = () => new Promise((r) => setTimeout(r, 3500)); // past the 3 s gap: any extra round has run

describe('lifecycle and duplicates', () => {
  const EMAIL = 'lifecycle@contoso.example';

  it('one live subscription per stream at Microsoft, clientState of at least 128 bits', async () => {
    const { token, id } = await connect(EMAIL);
    await untilRealtime(stack, token, id, 'active');
    const [live, ...more] = await truth(EMAIL);
    expect(more).toHaveLength(0);
    expect(live!.client_state.at_least_128_bits).toBe(true);
    expect(live!.notification_url).toBe(`${stack.host.url}/api/integrations/notifications`);
    expect(live!.lifecycle_notification_url).toBe(`${stack.host.url}/api/integrations/notifications/lifecycle`);
  });

  it('one change delivered 3 times → one delta round', async () => {
    await simControl(stack.sim, 'POST', `users/${EMAIL}/notifications`, { delay_ms: 0, duplicates: 3 });
    await settle();
    const before = await rounds();
    await simControl(stack.sim, 'POST', `users/${EMAIL}/changes`, { calendar: { update: 1 } });
    await untilCalendarMatches(stack, EMAIL, users[EMAIL]!.id);
    await waitFor(async () => (await truth(EMAIL))[0]!.deliveries.succeeded >= 3, 10_000);
    await settle();
    expect((await rounds()) - before).toBe(1);
    await simControl(stack.sim, 'DELETE', `users/${EMAIL}/notifications`);
  });

  it('missed → a delta round', async () => {
    await settle();
    const before = await rounds();
    await lifecycle(EMAIL, 'missed');
    await waitFor(async () => (await rounds()) > before, 15_000);
  });

  it('reauthorizationRequired → renewed (PATCH) with a refreshed token', async () => {
    const [sub] = await truth(EMAIL);
    await new Promise((r) => setTimeout(r, 1100)); // a token issued now has a later iat (whole seconds)
    await lifecycle(EMAIL, 'reauthorizationRequired');
    const renewed = await waitFor(async () => {
      const [now] = await truth(EMAIL);
      return now && now.renewals.length > sub!.renewals.length ? now : undefined;
    }, 15_000);
    const renewal = renewed.renewals.at(-1)!;
    expect(Date.parse(renewal.token_issued_at!)).toBeGreaterThan(Date.parse(sub!.created_at));
    expect(Date.parse(renewed.expiration_date_time)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
  });

  it('subscriptionRemoved → created again, then a delta round', async () => {
    await settle();
    const [old] = await truth(EMAIL);
    const before = await rounds();
    await lifecycle(EMAIL, 'subscriptionRemoved');
    const fresh = await waitFor(async () => {
      const live = await truth(EMAIL);
      return live.length === 1 && live[0]!.id !== old!.id ? live[0] : undefined;
    }, 15_000);
    await waitFor(async () => (await rounds()) > before, 15_000);
    const body = await untilRealtime(stack, users[EMAIL]!.token, users[EMAIL]!.id, 'active', 10_000);
    expect(Date.parse(body.realtime.expires_at)).toBe(
      Math.floor(Date.parse(fresh!.expiration_date_time) / 1000) * 1000,
    );
    // The new subscription notifies: a change is stored without a poll.
    await simControl(stack.sim, 'POST', `users/${EMAIL}/changes`, { calendar: { update: 1 } });
    await untilCalendarMatches(stack, EMAIL, users[EMAIL]!.id);
  });

  it('DELETE removes the subscriptions at Microsoft', async () => {
    const { token, id } = users[EMAIL]!;
    expect((await truth(EMAIL)).length).toBe(1);
    expect((await stack.api('DELETE', `integrations/${id}`, { token })).status).toBe(204);
    expect(await truth(EMAIL)).toEqual([]);
    const removed = await truth(EMAIL, true);
    expect(removed.some((s) => s.removed?.reason === 'deleted')).toBe(true);
  });
});

describe('creation refused', () => {
  it('→ degraded with its reason, polling at the normal cadence', async () => {
    const EMAIL = 'refused@contoso.example';
    await simControl(stack.sim, 'POST', 'faults', { refuse_subscriptions_for: [EMAIL] });
    try {
      const { token, id } = await connect(EMAIL);
      const body = await untilRealtime(stack, token, id, 'degraded');
      expect(body.realtime.reason.code).toBe('subscription_create_failed');
      expect(body.realtime.expires_at).toBeNull();
      const untilNext = Date.parse(body.next_sync_at) - Date.now();
      expect(untilNext).toBeLessThan(17 * 60_000); // SYNC_INTERVAL_MINUTES (15) ±10%, not 6 hours
      expect(untilNext).toBeGreaterThan(12 * 60_000);
      expect(await truth(EMAIL)).toEqual([]);
      expect(stack.logs.some((l) => l.includes('subscription not created') && l.includes('403'))).toBe(true);
    } finally {
      await simControl(stack.sim, 'DELETE', 'faults');
    }
  });
});
