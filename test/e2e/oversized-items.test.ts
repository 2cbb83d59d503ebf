import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { calendarTruth, folderId, mailboxTruth } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { byId, storedRows, truthEvent, truthMessage, waitFor } from '../support/truth.js';

// Issue 19, finding 3: one value over Table Storage's 32K-character property limit used to fail
// its page's transaction for good (the job retried into the poison queue, every later run resumed
// at the same checkpoint). Both items are written through Graph itself, into small pages (page
// size 5) among ordinary items: each must be stored capped and marked, and the rest of its page
// and stream with it.

const EMAIL = 'big-items@contoso.example';
const SENDER = 'announcer@contoso.example';
const LOCATION = 'Building 7, '.repeat(3_400).slice(0, 40_000);
const RECIPIENTS = 100;
// 200-character names and long list addresses: the `to` JSON alone is over 32,768 characters.
const name = (i: number) =>
  `Recipient ${String(i).padStart(3, '0')} `.padEnd(200, 'of the quarterly business review list');
const address = (i: number) =>
  `member-${String(i).padStart(3, '0')}-`.padEnd(64, 'x') +
  '@quarterly-business-review.emea-operations.subsidiary.contoso.example';

let stack: Stack;
let token: string;
let calendarId: string;
let mailId: string;

async function graphPost(email: string, scopes: string[], path: string, body: unknown): Promise<number> {
  const graphToken = await stack.sim.graphAccessToken(email, scopes);
  const res = await fetch(`${stack.sim.graphBaseUrl}/v1.0${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  stack = await startStack({ settings: { GRAPH_PAGE_SIZE: '5' } });
  stack.user(EMAIL, {
    email: EMAIL,
    calendar: { events: 24, recurring_series: 1, all_day: 2 },
    mailbox: { messages: 24 },
  });
  stack.user(SENDER, { email: SENDER, calendar: { events: 1 }, mailbox: { messages: 1 } });
  const day = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const created = await graphPost(EMAIL, ['Calendars.ReadWrite'], '/me/events', {
    subject: 'Offsite with directions',
    start: { dateTime: `${day}T10:00:00`, timeZone: 'UTC' },
    end: { dateTime: `${day}T11:00:00`, timeZone: 'UTC' },
    location: { displayName: LOCATION },
  });
  expect(created).toBe(201);
  const to = Array.from({ length: RECIPIENTS }, (_, i) => ({
    emailAddress: { name: name(i), address: i === 0 ? EMAIL : address(i) },
  }));
  const sent = await graphPost(SENDER, ['Mail.Send'], '/me/sendMail', {
    message: {
      subject: 'Quarterly business review',
      body: { contentType: 'text', content: 'See you there.' },
      toRecipients: to,
    },
  });
  expect(sent).toBe(202);
  token = await stack.callerToken(EMAIL);
  calendarId = (await stack.connect(EMAIL, 'microsoft_calendar')).body.id;
  mailId = (await stack.connect(EMAIL, 'microsoft_outlook')).body.id;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function synced(id: string) {
  return waitFor(async () => {
    const res = await stack.api('GET', `integrations/${id}`, { token });
    const last = res.body.last_sync;
    if (last?.status === 'failed') throw new Error(`sync failed: ${JSON.stringify(last.error)}`);
    return last?.status === 'succeeded' ? res.body : undefined;
  }, 90_000);
}

describe('oversized items', () => {
  it('an event with a 40,000-character location syncs capped, and every other event with it', async () => {
    const calendar = await synced(calendarId);
    const truth = await calendarTruth(stack.sim, EMAIL, calendarWindow(new Date(), 30, 30));
    const big = truth.find((e) => e.location?.displayName === LOCATION);
    expect(big).toBeDefined();
    const { items, pointers } = await storedRows(stack, 'CalendarEvents', calendarId);
    expect(pointers).toBe(items.length);
    const stored = byId(items);
    expect([...stored.keys()].sort()).toEqual(truth.map((e) => e.id).sort());
    for (const event of truth) {
      const want = truthEvent(event);
      const got = stored.get(event.id);
      if (event !== big) expect(got, event.id).toEqual(want);
      else expect({ ...got, location: want.location }).toEqual(want);
    }
    expect(calendar.last_sync.items_upserted).toBe(truth.length);

    const res = await stack.api('GET', `integrations/calendar-events?integration_id=${calendarId}&limit=100`, {
      token,
    });
    expect(res.status).toBe(200);
    const shown = res.body.results.find((e: { external_id: string }) => e.external_id === big!.id);
    expect(shown.location.length).toBeGreaterThanOrEqual(1_000);
    expect(shown.location.length).toBeLessThan(32_768);
    expect(LOCATION.startsWith(shown.location)).toBe(true);
  });

  it('a message to 100 recipients with 200-character names syncs with its list cut and marked, and the rest of the inbox with it', async () => {
    const mail = await synced(mailId);
    const inbox = await folderId(stack.sim, EMAIL, 'inbox');
    const cutoff = mailCutoff(new Date(), 30).getTime();
    const truth = (await mailboxTruth(stack.sim, EMAIL)).filter(
      (m) => m.parentFolderId === inbox && Date.parse(m.receivedDateTime) >= cutoff,
    );
    const big = truth.find((m) => (m.toRecipients ?? []).length === RECIPIENTS);
    expect(big).toBeDefined();
    const { items, pointers } = await storedRows(stack, 'EmailMessages', mailId);
    expect(pointers).toBe(items.length);
    const stored = byId(items);
    expect([...stored.keys()].sort()).toEqual(truth.map((m) => m.id).sort());
    for (const message of truth) {
      const want = truthMessage(message);
      const got = stored.get(message.id);
      if (message !== big) expect(got, message.id).toEqual(want);
      else expect({ ...got, to: want.to }).toEqual(want);
    }
    expect(mail.last_sync.items_upserted).toBe(truth.length);

    const res = await stack.api('GET', `integrations/email-messages?integration_id=${mailId}&limit=100`, { token });
    expect(res.status).toBe(200);
    const shown = res.body.results.find((m: { external_id: string }) => m.external_id === big!.id);
    expect(shown.to_total).toBe(RECIPIENTS);
    expect(shown.to.length).toBeGreaterThan(10);
    expect(shown.to.length).toBeLessThan(RECIPIENTS);
    // The list kept is the message's own, in order, names and addresses whole.
    expect(shown.to).toEqual(
      big!
        .toRecipients!.slice(0, shown.to.length)
        .map((r) => ({ name: r.emailAddress.name, email: r.emailAddress.address.toLowerCase() })),
    );
    expect(shown.cc_total).toBe(0);
  });
});
