import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';
import { DELTA, graphCount, subscriptionRows, untilRealtime } from './realtime-support.js';

// The renewal timer (every second here) renews subscriptions that expire within the margin (24 h).
const EMAIL = 'renewal@contoso.example';
let stack: Stack;
let token: string;
let id: string;

beforeAll(async () => {
  stack = await startStack({ webhooks: true, settings: { SUBSCRIPTION_RENEWAL_SCHEDULE: '*/1 * * * * *' } });
  stack.user(EMAIL, { email: EMAIL, calendar: { events: 10 }, mailbox: { messages: 3 } });
  token = await stack.callerToken(EMAIL);
  id = await stack.connectedId(EMAIL, 'microsoft_calendar');
  await untilRealtime(stack, token, id, 'active');
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

/** Makes the stored subscription expire in `ms` (as if Graph had granted a shorter life). */
async function expireStoredIn(ms: number) {
  const [row] = await subscriptionRows(stack, id);
  const client = TableClient.fromConnectionString(stack.azurite.connectionString, 'Subscriptions', {
    allowInsecureConnection: true,
  });
  const expiresAt = new Date(Date.now() + ms).toISOString();
  await client.updateEntity({ partitionKey: String(row!.partitionKey), rowKey: '', expiresAt }, 'Merge');
  return String(row!.subscriptionId);
}

const renewals = () => graphCount(stack, 'PATCH /v1.0/subscriptions');
const creations = () => graphCount(stack, 'POST /v1.0/subscriptions');

describe('renewal', () => {
  it('an expiry inside the renewal margin is renewed by the timer (PATCH), the new expiry stored and shown', async () => {
    const before = await renewals();
    await expireStoredIn(3600_000);
    await waitFor(async () => (await renewals()) > before, 15_000);
    const body = await waitFor(async () => {
      const [row] = await subscriptionRows(stack, id);
      const res = await stack.api('GET', `integrations/${id}`, { token });
      const renewedRow = Date.parse(String(row!.expiresAt)) > Date.now() + 6 * 24 * 3600_000;
      return renewedRow && res.body.realtime.status === 'active' ? res.body : undefined;
    }, 10_000);
    expect(Date.parse(body.realtime.expires_at)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    // Renewed once, not on every tick: the new expiry is outside the margin.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await renewals()).toBe(before + 1);
  });

  it('a subscription Graph no longer knows (404 on renewal) is created again, then a delta round runs', async () => {
    const [creating, rounds] = [await creations(), await graphCount(stack, DELTA)];
    await simControl(stack.sim, 'POST', 'faults', { status: 404, next_n: 1 });
    await expireStoredIn(3600_000);
    await waitFor(async () => (await creations()) > creating, 15_000);
    await waitFor(async () => (await graphCount(stack, DELTA)) > rounds, 15_000);
    await simControl(stack.sim, 'DELETE', 'faults');
    const body = await untilRealtime(stack, token, id, 'active', 10_000);
    expect(Date.parse(body.realtime.expires_at)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    const rows = await subscriptionRows(stack, id);
    expect(rows).toHaveLength(1);
    expect(stack.logs.some((l) => l.includes('subscription gone at Microsoft'))).toBe(true);
  });
});
