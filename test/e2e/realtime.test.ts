import type { ChangeReport } from '../../dev/sim/contract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';
import { DELTA, graphCount, post, subscriptionRows, untilCalendarMatches, untilRealtime } from './realtime-support.js';

// Real time over the real stack (issue 13): Azurite, the simulator delivering to the local host.
const EMAIL = 'realtime@contoso.example';
let stack: Stack;
let token: string;
let id: string;

beforeAll(async () => {
  stack = await startStack({ webhooks: true });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

// Graph's token reads like a sentence; `+` must survive (percent-encoded), spaces too.
const TOKEN = 'Validation: Testing client application reachability (a+b/c) for subscription Request-Id: 1 2';

describe('the validation handshake', () => {
  it('is answered on both URLs from the first request after start: exact echo, text/plain, any body', async () => {
    const q = `?validationToken=${encodeURIComponent(TOKEN)}`;
    // The very first requests this host serves.
    const first = await post(stack, `notifications${q}`);
    const lifecycle = await post(stack, `notifications/lifecycle${q}`);
    for (const answer of [first, lifecycle]) {
      expect(answer.status).toBe(200);
      expect(answer.text).toBe(TOKEN);
      expect(answer.type).toMatch(/^text\/plain/);
      expect(answer.ms).toBeLessThan(10_000);
    }
    for (const path of ['notifications', 'notifications/lifecycle']) {
      expect((await post(stack, `${path}${q}`, { body: '' })).text).toBe(TOKEN);
      expect((await post(stack, `${path}${q}`, { body: 'not { json' })).text).toBe(TOKEN);
      const asJson = await post(stack, `${path}${q}`, { body: '{"value":[]}', type: 'application/json' });
      expect([asJson.status, asJson.text]).toEqual([200, TOKEN]);
      // A literal `+` in the query is a space (form encoding), as Graph's URL-decoding reads it.
      expect((await post(stack, `${path}?validationToken=a+b%2Bc`)).text).toBe('a b+c');
    }
  });
});

describe('subscriptions and notifications', () => {
  it('the first round creates the subscription; realtime turns active and polling slows to the reconciliation', async () => {
    stack.user(EMAIL, {
      email: EMAIL,
      calendar: { events: 30, recurring_series: 1, all_day: 2 },
      mailbox: { messages: 5 },
    });
    token = await stack.callerToken(EMAIL);
    id = await stack.connectedId(EMAIL, 'microsoft_calendar');
    const body = await untilRealtime(stack, token, id, 'active');
    expect(Date.parse(body.realtime.expires_at)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    expect(body.realtime.reason).toBeNull();
    // SYNC_RECONCILE_HOURS (6, ±10%) instead of SYNC_INTERVAL_MINUTES (15).
    expect(Date.parse(body.next_sync_at) - Date.now()).toBeGreaterThan(5 * 3600_000);
    const rows = await subscriptionRows(stack, id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ stream: 'calendar', resource: 'me/calendar/events' });
    expect(String(rows[0]!.clientStateHash)).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(rows[0]!)).not.toContain('clientState');
  });

  it('a change at Microsoft is stored by one delta round, without any poll', async () => {
    const before = await graphCount(stack, DELTA);
    const report = (await simControl(stack.sim, 'POST', `users/${EMAIL}/changes`, {
      calendar: { update: 1 },
    })) as ChangeReport;
    expect(report.calendar.updated).toHaveLength(1);
    await untilCalendarMatches(stack, EMAIL, id);
    await new Promise((r) => setTimeout(r, 1500)); // any second round would have started by now
    expect((await graphCount(stack, DELTA)) - before).toBe(1);
  });

  it('a forged clientState or an unknown subscription: 202, dropped and counted, no Graph request', async () => {
    const [row] = await subscriptionRows(stack, id);
    const graphBefore = await graphCount(stack);
    const forged = {
      value: [
        { subscriptionId: String(row!.subscriptionId), clientState: 'guessed', changeType: 'updated', resource: 'x' },
        { subscriptionId: '00000000-0000-0000-0000-000000000000', clientState: 'x', changeType: 'created' },
      ],
    };
    for (const path of ['notifications', 'notifications/lifecycle']) {
      const body =
        path === 'notifications' ? forged : { value: forged.value.map((v) => ({ ...v, lifecycleEvent: 'missed' })) };
      const answer = await post(stack, path, { body: JSON.stringify(body), type: 'application/json' });
      expect(answer.status).toBe(202);
    }
    await waitFor(
      () => Promise.resolve(stack.logs.filter((l) => l.includes('notifications dropped')).length >= 2),
      5_000,
    );
    const dropped = stack.logs.filter((l) => l.includes('notifications dropped'));
    expect(dropped.some((l) => /client_state_mismatch[^0-9]+1/.test(l) && /unknown_subscription[^0-9]+1/.test(l))).toBe(
      true,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(await graphCount(stack)).toBe(graphBefore);
  });

  it('a body that is not Graph’s is a 4xx problem, never a 5xx', async () => {
    const bad = await post(stack, 'notifications', { body: '{"value": 3}', type: 'application/json' });
    expect(bad.status).toBe(400);
    expect((await post(stack, 'notifications', { body: 'nope', type: 'application/json' })).status).toBe(400);
    expect((await post(stack, 'notifications', { body: 'x' })).status).toBe(415);
  });
});

describe('bursts collapse', () => {
  it('50 changes within 5 s on one stream: at most 3 delta rounds, and the store equals the truth', async () => {
    const before = await graphCount(stack, DELTA);
    for (let i = 0; i < 10; i++) {
      await simControl(stack.sim, 'POST', `users/${EMAIL}/changes`, { calendar: { update: 3, add: 1, delete: 1 } });
      await new Promise((r) => setTimeout(r, 450));
    }
    await untilCalendarMatches(stack, EMAIL, id);
    // The last follow-up round may still be owed: wait until none is queued or running.
    await waitFor(async () => {
      const res = await stack.api('GET', `integrations/${id}`, { token });
      return res.body.last_sync.status === 'succeeded' && res.body.realtime.status === 'active';
    }, 20_000);
    await new Promise((r) => setTimeout(r, 4000));
    const rounds = (await graphCount(stack, DELTA)) - before;
    expect(rounds).toBeGreaterThanOrEqual(1);
    expect(rounds).toBeLessThanOrEqual(3);
    await untilCalendarMatches(stack, EMAIL, id, 1000);
  });
});
