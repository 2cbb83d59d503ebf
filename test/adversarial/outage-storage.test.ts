import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { storedRows, waitFor } from '../support/truth.js';
import { expectCalendarEqualsTruth, expectInboxEqualsTruth, succeededAfter } from './truth-check.js';

// Issue 8, point 5a: Azurite stopped in the middle of a sync. Meanwhile health answers 503 naming
// storage; once storage is back the job is delivered again and the stored sets equal the truth.

const EMAIL = 'storage.outage@contoso.example';
// Longer than a whole sync here (so a healthy job is never delivered twice), short enough to wait for.
const MESSAGE_LEASE_MS = 12_000;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ durable: { messageLeaseMs: MESSAGE_LEASE_MS }, settings: { GRAPH_PAGE_SIZE: '10' } });
  stack.user(EMAIL, {
    email: EMAIL,
    calendar: { events: 80, recurring_series: 2, all_day: 3 },
    mailbox: { messages: 160 },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function health() {
  const res = await stack.api('GET', 'health');
  return { status: res.status, body: res.body, type: res.headers.get('content-type') };
}

describe('storage outage during a sync', () => {
  it('health is 503 naming storage while it is down; the interrupted sync is retried and loses nothing', async () => {
    expect((await health()).status).toBe(200);
    const token = await stack.callerToken(EMAIL);
    // Slow Graph pages, so that the sync is surely in the middle of its pages when storage goes.
    await simControl(stack.sim, 'POST', 'faults', { latency_ms: 150 });
    const mail = (await stack.connect(EMAIL, 'microsoft_outlook')).body.id as string;
    const calendar = (await stack.connect(EMAIL, 'microsoft_calendar')).body.id as string;
    // (The table itself appears with the first write: until then, nothing is stored.)
    await waitFor(
      async () => (await storedRows(stack, 'EmailMessages', mail).catch(() => ({ items: [] }))).items.length > 0,
      30_000,
      50,
    );
    const partial = (await storedRows(stack, 'EmailMessages', mail)).items.length;

    await stack.azurite.stop();
    const down = await waitFor(
      async () => {
        const h = await health();
        return h.status === 503 ? h : undefined;
      },
      20_000,
      250,
    );
    expect(down.body).toEqual({ status: 'unavailable', checks: { storage: 'unavailable', key: 'ok' } });
    expect(down.type).toMatch(/^application\/json/);
    // The API fails without detail while storage is away (a 5xx here is storage's, not the caller's).
    const listing = await stack.api('GET', 'integrations', { token });
    expect(listing.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(listing.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|AccountKey|devstoreaccount1|RestError/);
    await new Promise((r) => setTimeout(r, 6_000)); // the running job hits the outage and fails
    await simControl(stack.sim, 'DELETE', 'faults');

    const restarted = new Date().toISOString();
    await stack.azurite.start();
    await waitFor(async () => (await health()).status === 200, 30_000, 250);
    await Promise.all([
      succeededAfter(stack, token, mail, restarted, 90_000),
      succeededAfter(stack, token, calendar, restarted, 90_000),
    ]);

    const messages = await expectInboxEqualsTruth(stack, EMAIL, mail);
    const events = await expectCalendarEqualsTruth(stack, EMAIL, calendar);
    expect(partial).toBeLessThan(messages); // the outage really cut the sync short
    expect(events).toBeGreaterThan(50);
    // The mail job that storage failed is the one that finished: the same message, delivered again.
    // (The calendar job ran alongside; whether the outage caught it depends on timing, so its check is the truth above.)
    for (const id of [mail]) {
      const lines = stack.logs.filter((l) => l.includes(id) && l.includes('"function":"syncWorker"'));
      const failed = lines.find(
        (l) => l.includes('"msg":"sync failed"') && l.includes('"error_code":"storage_unavailable"'),
      );
      const succeeded = lines.filter((l) => l.includes('"msg":"sync succeeded"'));
      expect(failed, id).toBeDefined();
      expect(succeeded, id).toHaveLength(1);
      const jobOf = (l: string) => /"job_id":"([^"]+)"/.exec(l)?.[1];
      expect(jobOf(succeeded[0]!), id).toBe(jobOf(failed!));
      expect(succeeded[0], id).toMatch(/"dequeue_count":[2-5]\b/);
    }
  }, 180_000);
});
