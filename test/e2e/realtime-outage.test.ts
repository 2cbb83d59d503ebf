import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SubscriptionTruth } from '../../dev/sim/contract.js';
import { startHost, type RunningHost } from '../../dev/host/host.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';
import { calendarMatches, untilCalendarMatches, untilRealtime } from './realtime-support.js';

// The app down while changes happen: Graph's deliveries fail and are retried with back-off (the
// simulator's retry_time_scale compresses Graph's schedule: 0.01 makes its 4-hour window 144 s and
// the 6 s of downtime here stand for 10 minutes of Graph's time); once the app is back every change
// is stored by the rounds the retried notifications cause. No poll runs (the fan-out timer never fires).
const EMAIL = 'outage@contoso.example';
let stack: Stack;
let restarted: RunningHost | undefined;

beforeAll(async () => {
  stack = await startStack({ webhooks: true });
  await simControl(stack.sim, 'POST', 'notifications', { delay_ms: 0, retry_time_scale: 0.01 });
}, 60_000);
afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
});

it('every change made while the app was down is visible after it returns, before any reconciliation poll', async () => {
  stack.user(EMAIL, {
    email: EMAIL,
    calendar: { events: 20, recurring_series: 0, all_day: 0 },
    mailbox: { messages: 3 },
  });
  const token = await stack.callerToken(EMAIL);
  const id = await stack.connectedId(EMAIL, 'microsoft_calendar');
  const active = await untilRealtime(stack, token, id, 'active');
  const port = stack.host.port;
  await stack.host.stop();

  await simControl(stack.sim, 'POST', `users/${EMAIL}/changes`, { calendar: { update: 3, add: 2, delete: 1 } });
  await new Promise((r) => setTimeout(r, 3000));
  await simControl(stack.sim, 'POST', `users/${EMAIL}/changes`, { calendar: { update: 2 } });
  await waitFor(async () => {
    const [sub] = (
      (await simControl(stack.sim, 'GET', `users/${EMAIL}/subscriptions`)) as { value: SubscriptionTruth[] }
    ).value;
    return sub && sub.deliveries.failed >= 2;
  }, 10_000);
  await new Promise((r) => setTimeout(r, 3000));
  expect(await calendarMatches(stack, EMAIL, id)).toBe(false); // the store is behind while the app is down

  const root = fileURLToPath(new URL('../../', import.meta.url));
  const { definitions } = await import('../../functions/all.js');
  restarted = await startHost({
    definitions,
    port,
    hostJsonPath: join(root, 'test', 'support', 'host.test.json'),
    log: (line) => void stack.logs.push(line),
  });
  await untilCalendarMatches(stack, EMAIL, id, 60_000);
  const [sub] = ((await simControl(stack.sim, 'GET', `users/${EMAIL}/subscriptions`)) as { value: SubscriptionTruth[] })
    .value;
  expect(sub!.deliveries.failed).toBeGreaterThanOrEqual(2);
  expect(sub!.deliveries.succeeded).toBeGreaterThanOrEqual(1);
  // No reconciliation poll ran: the next scheduled sync is still hours away.
  const res = await stack.api('GET', `integrations/${id}`, { token });
  expect(Date.parse(res.body.next_sync_at)).toBeGreaterThan(Date.now() + 5 * 3600_000);
  expect(Date.parse(active.next_sync_at)).toBeGreaterThan(Date.now() + 5 * 3600_000);
}, 120_000);
