import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { expectCalendarEqualsTruth, expectInboxEqualsTruth, succeededAfter } from './truth-check.js';

// Issue 8, point 5b: Microsoft Graph answers 503 to every request for a whole minute (real time,
// as the issue says). Syncs asked for during the outage wait it out and resume afterwards on their
// own; the stored sets then equal the truth, changes made during the outage included.

const EMAIL = 'graph.outage@contoso.example';
const OUTAGE_MS = 60_000;
let stack: Stack;
let token: string;
let calendar: string;
let mail: string;

beforeAll(async () => {
  stack = await startStack({ settings: { GRAPH_PAGE_SIZE: '25' } });
  stack.user(EMAIL, {
    email: EMAIL,
    calendar: { events: 60, recurring_series: 2, all_day: 2 },
    mailbox: { messages: 80 },
  });
  token = await stack.callerToken(EMAIL);
  calendar = (await stack.connect(EMAIL, 'microsoft_calendar')).body.id;
  mail = (await stack.connect(EMAIL, 'microsoft_outlook')).body.id;
  const t0 = new Date(0).toISOString();
  await Promise.all([succeededAfter(stack, token, calendar, t0), succeededAfter(stack, token, mail, t0)]);
}, 120_000);
afterAll(async () => {
  await simControl(stack.sim, 'DELETE', 'faults').catch(() => undefined);
  await stack?.stop();
});

describe('Microsoft Graph unavailable for a minute', () => {
  it('syncs queued during the outage resume afterwards and the stored sets equal the truth', async () => {
    await simControl(stack.sim, 'POST', `users/${EMAIL}/changes`, {
      calendar: { add: 4, update: 4, delete: 3 },
      mailbox: { add: 5, update: 3, delete: 2 },
    });
    await simControl(stack.sim, 'DELETE', 'stats');
    await simControl(stack.sim, 'POST', 'faults', { status: 503, retry_after_s: 1 });
    const outageStart = Date.now();
    for (const id of [calendar, mail])
      expect((await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'full' } })).status).toBe(
        202,
      );

    // During the outage: the API and health answer, the integrations wait with the throttling noted.
    let sawThrottled = false;
    while (Date.now() - outageStart < OUTAGE_MS) {
      await new Promise((r) => setTimeout(r, 5_000));
      expect((await stack.api('GET', 'health')).status).toBe(200);
      for (const id of [calendar, mail]) {
        const res = await stack.api('GET', `integrations/${id}`, { token });
        expect(res.status).toBe(200);
        expect(res.body.status).toBe('active');
        expect(res.body.last_sync.status).not.toBe('succeeded');
        if (res.body.last_sync.error?.code === 'graph_throttled') sawThrottled = true;
      }
      expect(
        (await stack.api('GET', `integrations/calendar-events?integration_id=${calendar}`, { token })).status,
      ).toBe(200);
    }
    const during = await simControl(stack.sim, 'GET', 'stats');
    await simControl(stack.sim, 'DELETE', 'faults');
    const outageEnd = new Date().toISOString();
    expect(sawThrottled).toBe(true);
    expect(during.by_status['503']).toBeGreaterThan(20); // Graph refused all along, and was asked again and again
    expect(during.by_status['200'] ?? 0).toBe(0);
    expect(during.early_retries).toBe(0); // never before Retry-After

    // No manual sync after the outage: the jobs queued during it finish by themselves.
    await Promise.all([
      succeededAfter(stack, token, calendar, outageEnd, 60_000),
      succeededAfter(stack, token, mail, outageEnd, 60_000),
    ]);
    await expectCalendarEqualsTruth(stack, EMAIL, calendar);
    await expectInboxEqualsTruth(stack, EMAIL, mail);
  }, 180_000);
});
