import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldCase } from '../../shared/items/message.js';
import { itemId } from '../../shared/items/keys.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { calendarTruth, folderId, mailboxTruth } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';

// The query API against a reference computed from the simulator's ground truth after a real sync.
const EMAIL = 'querier@contoso.example';
const DAY = 24 * 3600 * 1000;
let stack: Stack;
let token: string;
let calendarId: string;
let mailId: string;
let events: { id: string; external_id: string; start: number; end: number }[];
let messages: {
  id: string;
  external_id: string;
  received: number;
  isRead: boolean;
  importance: string;
  text: string;
}[];

beforeAll(async () => {
  stack = await startStack();
  stack.user(EMAIL, {
    email: EMAIL,
    calendar: { events: 500, recurring_series: 6, all_day: 30 },
    mailbox: { messages: 900, unread_share: 0.5 },
  });
  token = await stack.callerToken(EMAIL);
  calendarId = (await stack.connect(EMAIL, 'microsoft_calendar')).body.id;
  mailId = (await stack.connect(EMAIL, 'microsoft_outlook')).body.id;
  for (const id of [calendarId, mailId]) {
    await waitFor(
      async () => (await stack.api('GET', `integrations/${id}`, { token })).body.last_sync?.status === 'succeeded',
      120_000,
    );
  }
  const window = calendarWindow(new Date(), 30, 30);
  events = (await calendarTruth(stack.sim, EMAIL, window)).map((g) => ({
    id: itemId(calendarId, g.id),
    external_id: g.id,
    start: Date.parse(`${g.start.dateTime}Z`),
    end: Date.parse(`${g.end.dateTime}Z`),
  }));
  const inbox = await folderId(stack.sim, EMAIL, 'inbox');
  const cutoff = mailCutoff(new Date(), 30).getTime();
  messages = (await mailboxTruth(stack.sim, EMAIL))
    .filter((m) => m.parentFolderId === inbox && Date.parse(m.receivedDateTime) >= cutoff)
    .map((m) => ({
      id: itemId(mailId, m.id),
      external_id: m.id,
      received: Date.parse(m.receivedDateTime),
      isRead: m.isRead === true,
      importance: String(m.importance).toLowerCase(),
      text: foldCase(
        [m.subject, m.bodyPreview, m.from?.emailAddress?.name ?? '', m.from?.emailAddress?.address ?? ''].join('\n'),
      ),
    }));
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

async function all(path: string, params: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ ...params, limit: '500', ...(cursor ? { cursor } : {}) });
    const res = await stack.api('GET', `${path}?${qs}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...res.body.results.map((r: { external_id: string }) => r.external_id));
    cursor = res.body.next_cursor;
  } while (cursor);
  return ids;
}

const iso = (ms: number) => new Date(ms).toISOString();
const today = Math.floor(Date.now() / DAY) * DAY;

describe('queries equal a reference computed from the ground truth', () => {
  it('50 random calendar windows (month boundaries, events on either edge, all-day events)', async () => {
    const windows = fc.sample(
      fc.record({
        from: fc.integer({ min: -29 * 24, max: 29 * 24 }),
        hours: fc.integer({ min: 1, max: 40 * 24 }),
        offsetHours: fc.integer({ min: -12, max: 14 }),
      }),
      { numRuns: 50, seed: 4242 },
    );
    // Windows that start or end exactly on an event's start or end, so the edges are exercised.
    windows.push(...events.slice(0, 5).map((e) => ({ from: (e.start - today) / 3600_000, hours: 24, offsetHours: 0 })));
    let found = 0;
    for (const w of windows) {
      const start = today + w.from * 3600_000;
      const end = Math.min(start + w.hours * 3600_000, today + 31 * DAY);
      if (end <= start) continue;
      // The same instants written with a UTC offset, as an SPA in another zone would send them.
      const withOffset = (ms: number) => {
        const h = w.offsetHours;
        const local = new Date(ms + h * 3600_000).toISOString().slice(0, 19);
        return `${local}${h >= 0 ? '+' : '-'}${String(Math.abs(h)).padStart(2, '0')}:00`;
      };
      const expected = events
        .filter((e) => e.start < end && e.end > start)
        .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((e) => e.external_id);
      const actual = await all('integrations/calendar-events', {
        provider: 'microsoft_calendar',
        start_date: withOffset(start),
        end_date: withOffset(end),
      });
      expect(actual, `${iso(start)}..${iso(end)}`).toEqual(expected);
      found += actual.length;
    }
    expect(found).toBeGreaterThan(1000); // the windows are not trivially empty
  });

  it('50 random message queries (read state, importance, received range, mixed-case and non-ASCII search)', async () => {
    const terms = [
      'café',
      'CAFÉ',
      'straße',
      'STRASSE',
      '日本',
      'Übersicht',
      'invoice',
      'RE:',
      'naïve',
      'deadline',
      'zzz-no-match',
    ];
    const queries = fc.sample(
      fc.record({
        is_read: fc.option(fc.boolean(), { nil: undefined }),
        importance: fc.option(fc.constantFrom('low', 'normal', 'high'), { nil: undefined }),
        search: fc.option(fc.constantFrom(...terms), { nil: undefined }),
        after: fc.option(fc.integer({ min: -30, max: 0 }), { nil: undefined }),
        span: fc.integer({ min: 1, max: 30 }),
      }),
      { numRuns: 50, seed: 777 },
    );
    let found = 0;
    for (const q of queries) {
      const after = q.after === undefined ? undefined : today + q.after * DAY + 3 * 3600_000;
      const before = after === undefined ? undefined : after + q.span * DAY;
      const params: Record<string, string> = { provider: 'microsoft_outlook' };
      if (q.is_read !== undefined) params.is_read = String(q.is_read);
      if (q.importance) params.importance = q.importance;
      if (q.search) params.search = q.search;
      if (after !== undefined) params.received_after = iso(after);
      if (before !== undefined) params.received_before = iso(before);
      const term = q.search ? foldCase(q.search) : undefined;
      const expected = messages
        .filter(
          (m) =>
            (q.is_read === undefined || m.isRead === q.is_read) && (!q.importance || m.importance === q.importance),
        )
        .filter((m) => (after === undefined || m.received > after) && (before === undefined || m.received < before))
        .filter((m) => !term || m.text.includes(term))
        .sort((a, b) => b.received - a.received || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((m) => m.external_id);
      const actual = await all('integrations/email-messages', params);
      expect(actual, JSON.stringify(params)).toEqual(expected);
      found += actual.length;
    }
    expect(found).toBeGreaterThan(500);
  });
});
