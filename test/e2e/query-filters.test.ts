import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlAsText } from '../../dev/sim/graph/event-json.js';
import { itemId } from '../../shared/items/keys.js';
import { foldCase } from '../../shared/items/message.js';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { useSeed } from '../support/seed.js';
import { calendarTruth, folderId, mailboxTruth, type TruthEvent } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';

// The new filters, search, fields and free/busy against references computed from the simulator's
// ground truth after a real sync (Azurite, the simulator, the local host). The references use no
// code of the app: plain filtering of Graph's JSON, and a merge of their own for free/busy.

const seed = useSeed('test/e2e/query-filters.test.ts');
const EMAIL = 'filters@contoso.example';
const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
const today = Math.floor(Date.now() / DAY) * DAY;
let stack: Stack;
let token: string;
let calendarId: string;
let mailId: string;
let folderIds: { inbox: string; archive: string };

/** CLDR's zones (windowsZones.xml, territory 001) of the Windows names the simulator seeds. */
const IANA: Record<string, string> = {
  'Pacific Standard Time': 'America/Los_Angeles',
  'W. Europe Standard Time': 'Europe/Berlin',
  UTC: 'Etc/UTC',
  'Eastern Standard Time': 'America/New_York',
  'Tokyo Standard Time': 'Asia/Tokyo',
};

interface RefEvent {
  id: string;
  externalId: string;
  start: number;
  end: number;
  texts: string[];
  attendees: string[];
  organizer: string | undefined;
  showAs: string;
  isCancelled: boolean;
  type: string;
  isOnlineMeeting: boolean;
  joinUrl: string | null;
  categories: string[];
  timeZone: string;
}
interface RefMessage {
  id: string;
  externalId: string;
  received: number;
  folder: 'inbox' | 'archive';
  from: string | undefined;
  hasAttachments: boolean;
  conversationId: string;
  isRead: boolean;
  text: string;
  categories: string[];
}
let events: RefEvent[];
let messages: RefMessage[];

const address = (a: { emailAddress?: { address?: string } | null } | null | undefined) =>
  a?.emailAddress?.address?.toLowerCase();

function refEvent(g: TruthEvent): RefEvent {
  const attendees = (g.attendees ?? []).map((a) => ({
    name: a.emailAddress.name,
    email: a.emailAddress.address.toLowerCase(),
  }));
  const body = g.body?.contentType === 'html' ? htmlAsText(g.body.content ?? '') : (g.body?.content ?? '');
  const meeting = g.onlineMeeting as { joinUrl?: string } | null | undefined;
  return {
    id: itemId(calendarId, g.id),
    externalId: g.id,
    start: Date.parse(`${g.start.dateTime}Z`),
    end: Date.parse(`${g.end.dateTime}Z`),
    texts: [
      g.subject ?? '',
      g.location?.displayName ?? '',
      g.organizer?.emailAddress?.name ?? '',
      g.organizer?.emailAddress?.address ?? '',
      ...attendees.flatMap((a) => [a.name, a.email]),
      body,
    ].map(foldCase),
    attendees: attendees.map((a) => a.email),
    organizer: address(g.organizer),
    showAs: String(g.showAs),
    isCancelled: g.isCancelled === true,
    type: String(g.type),
    isOnlineMeeting: g.isOnlineMeeting === true,
    joinUrl: meeting?.joinUrl ?? null,
    categories: (g.categories as string[] | undefined) ?? [],
    timeZone: String(g.originalStartTimeZone),
  };
}

beforeAll(async () => {
  stack = await startStack({ settings: { SYNC_MAIL_FOLDERS: 'inbox,archive' } });
  stack.user(EMAIL, {
    email: EMAIL,
    calendar: { events: 400, recurring_series: 6, all_day: 30 },
    mailbox: { messages: 700, unread_share: 0.5, folders: ['archive'] },
  });
  token = await stack.callerToken(EMAIL);
  const window = calendarWindow(new Date(), 30, 30);
  // The seed shows events as busy, tentative, free or oof; a few become workingElsewhere and
  // unknown through Graph itself, so every status is present.
  const graphToken = await stack.sim.graphAccessToken(EMAIL, ['Calendars.ReadWrite']);
  const singles = (await calendarTruth(stack.sim, EMAIL, window)).filter((g) => g.type === 'singleInstance');
  for (const [i, g] of singles.slice(0, 24).entries()) {
    const res = await fetch(`${stack.sim.graphBaseUrl}/v1.0/me/events/${encodeURIComponent(g.id)}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ showAs: i % 3 === 0 ? 'unknown' : 'workingElsewhere' }),
    });
    expect(res.status).toBe(200);
  }
  calendarId = (await stack.connect(EMAIL, 'microsoft_calendar')).body.id;
  mailId = (await stack.connect(EMAIL, 'microsoft_outlook')).body.id;
  for (const id of [calendarId, mailId]) {
    await waitFor(
      async () => (await stack.api('GET', `integrations/${id}`, { token })).body.last_sync?.status === 'succeeded',
      120_000,
    );
  }
  events = (await calendarTruth(stack.sim, EMAIL, window)).map(refEvent);
  folderIds = {
    inbox: await folderId(stack.sim, EMAIL, 'inbox'),
    archive: await folderId(stack.sim, EMAIL, 'archive'),
  };
  const cutoff = mailCutoff(new Date(), 30).getTime();
  messages = (await mailboxTruth(stack.sim, EMAIL))
    .filter((m) => Date.parse(m.receivedDateTime) >= cutoff)
    .flatMap((m): RefMessage[] => {
      const folder =
        m.parentFolderId === folderIds.inbox ? 'inbox' : m.parentFolderId === folderIds.archive ? 'archive' : undefined;
      if (!folder) return [];
      return [
        {
          id: itemId(mailId, m.id),
          externalId: m.id,
          received: Date.parse(m.receivedDateTime),
          folder,
          from: address(m.from) ?? address(m.sender),
          hasAttachments: m.hasAttachments === true,
          conversationId: String(m.conversationId),
          isRead: m.isRead === true,
          text: foldCase(
            [m.subject, m.bodyPreview, m.from?.emailAddress?.name ?? '', m.from?.emailAddress?.address ?? ''].join(
              '\n',
            ),
          ),
          categories: (m.categories as string[] | undefined) ?? [],
        },
      ];
    });
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

async function all(path: string, params: Record<string, string>, limit = '500'): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ ...params, limit, ...(cursor ? { cursor } : {}) });
    const res = await stack.api('GET', `${path}?${qs}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...res.body.results.map((r: { external_id: string }) => r.external_id));
    cursor = res.body.next_cursor;
  } while (cursor);
  return ids;
}

/** A filter left out two times in three, so combinations of a few filters are common. */
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const iso = (ms: number) => new Date(ms).toISOString();
const mixCase = (s: string, upper: boolean) => (upper ? s.toUpperCase() : s);

/** Search terms drawn from the truth (pieces of titles, people, places, bodies) and a few fixed ones. */
function eventTerms(): string[] {
  const r = fc.sample(fc.integer({ min: 0, max: 1e9 }), { numRuns: 60, seed });
  const terms = ['café', 'STRASSE', 'straße', '日本', 'Müller', 'budget', 'zzz-no-match'];
  for (const n of r) {
    const e = events[n % events.length]!;
    const text = e.texts[n % e.texts.length] ?? '';
    if (text.length < 3) continue;
    const from = n % Math.max(1, text.length - 3);
    const piece = text.slice(from, from + 3 + (n % 6)).trim();
    if ([...piece].length >= 2 && !/[\r\n]/.test(piece)) terms.push(n % 2 ? piece.toUpperCase() : piece);
  }
  return terms;
}

describe('calendar-events filters equal a reference computed from the ground truth', () => {
  it('every event carries show_as, is_online_meeting, online_meeting_url, categories and time_zone_iana', async () => {
    const res = await stack.api(
      'GET',
      `integrations/calendar-events?${new URLSearchParams({ start_date: iso(today - 30 * DAY), end_date: iso(today + 31 * DAY), limit: '500' })}`,
      { token },
    );
    expect(res.status).toBe(200);
    const byExternal = new Map(events.map((e) => [e.externalId, e]));
    let online = 0;
    for (const got of res.body.results) {
      const want = byExternal.get(got.external_id)!;
      expect(got).toMatchObject({
        show_as: want.showAs,
        is_online_meeting: want.isOnlineMeeting,
        online_meeting_url: want.joinUrl,
        categories: want.categories,
        time_zone: want.timeZone,
        time_zone_iana: IANA[want.timeZone],
      });
      if (want.joinUrl) online++;
    }
    expect(online).toBeGreaterThan(10);
    expect(new Set(res.body.results.map((e: { show_as: string }) => e.show_as))).toEqual(
      new Set(['busy', 'tentative', 'free', 'oof', 'workingElsewhere', 'unknown']),
    );
  });

  it('50 random combinations of search, attendee, organizer, show_as, is_cancelled, type, is_online_meeting', async () => {
    const terms = eventTerms();
    const people = [...new Set(events.flatMap((e) => [...e.attendees, ...(e.organizer ? [e.organizer] : [])]))];
    const queries = fc.sample(
      fc.record({
        from: fc.integer({ min: -30 * 24, max: 29 * 24 }),
        hours: fc.integer({ min: 1, max: 61 * 24 }),
        search: maybe(fc.constantFrom(...terms)),
        attendee: maybe(fc.tuple(fc.constantFrom(...people, 'nobody@contoso.example'), fc.boolean())),
        organizer: maybe(fc.tuple(fc.constantFrom(...people, EMAIL), fc.boolean())),
        show_as: maybe(fc.constantFrom('free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown')),
        is_cancelled: maybe(fc.boolean()),
        type: maybe(fc.constantFrom('singleInstance', 'occurrence', 'exception', 'seriesMaster')),
        is_online_meeting: maybe(fc.boolean()),
      }),
      { numRuns: 50, seed },
    );
    let found = 0;
    for (const q of queries) {
      const start = today + q.from * HOUR;
      const end = Math.min(start + q.hours * HOUR, today + 31 * DAY);
      const params: Record<string, string> = { start_date: iso(start), end_date: iso(end) };
      if (q.search !== undefined) params.search = q.search;
      if (q.attendee) params.attendee = mixCase(...q.attendee);
      if (q.organizer) params.organizer = mixCase(...q.organizer);
      if (q.show_as) params.show_as = q.show_as;
      if (q.is_cancelled !== undefined) params.is_cancelled = String(q.is_cancelled);
      if (q.type) params.type = q.type;
      if (q.is_online_meeting !== undefined) params.is_online_meeting = String(q.is_online_meeting);
      const term = q.search === undefined ? undefined : foldCase(q.search);
      const expected = events
        .filter((e) => e.start < end && e.end > start)
        .filter((e) => term === undefined || e.texts.some((t) => t.includes(term)))
        .filter((e) => !q.attendee || e.attendees.includes(q.attendee[0].toLowerCase()))
        .filter((e) => !q.organizer || e.organizer === q.organizer[0].toLowerCase())
        .filter((e) => !q.show_as || e.showAs === q.show_as)
        .filter((e) => q.is_cancelled === undefined || e.isCancelled === q.is_cancelled)
        .filter((e) => !q.type || e.type === q.type)
        .filter((e) => q.is_online_meeting === undefined || e.isOnlineMeeting === q.is_online_meeting)
        .sort((a, b) => a.start - b.start || byText(a.id, b.id))
        .map((e) => e.externalId);
      expect(await all('integrations/calendar-events', params), JSON.stringify(params)).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(300); // the combinations are not trivially empty
  });

  it('walking every page of a filtered query returns each event once, in order', async () => {
    const queries: Record<string, string>[] = [
      { show_as: 'busy', search: 'e' },
      { is_online_meeting: 'true', type: 'occurrence' },
      { attendee: events.find((e) => e.attendees.length)!.attendees[0]! },
    ];
    for (const params of queries) {
      const window = { start_date: iso(today - 30 * DAY), end_date: iso(today + 31 * DAY) };
      const paged = await all('integrations/calendar-events', { ...window, ...params }, '3');
      expect(new Set(paged).size).toBe(paged.length);
      expect(paged).toEqual(await all('integrations/calendar-events', { ...window, ...params }));
      expect(paged.length).toBeGreaterThan(3);
    }
  });
});

describe('email-messages filters equal a reference computed from the ground truth', () => {
  it('every message carries its folder and categories', async () => {
    const byExternal = new Map(messages.map((m) => [m.externalId, m]));
    const res = await stack.api('GET', `integrations/email-messages?limit=500`, { token });
    for (const got of res.body.results) {
      const want = byExternal.get(got.external_id)!;
      expect(got).toMatchObject({ folder: want.folder, categories: want.categories });
    }
    expect(new Set(messages.map((m) => m.folder))).toEqual(new Set(['inbox', 'archive']));
  });

  it('50 random combinations of from, folder, has_attachments, conversation_id (with is_read and search)', async () => {
    const senders = [...new Set(messages.flatMap((m) => (m.from ? [m.from] : [])))];
    const conversations = [...new Set(messages.map((m) => m.conversationId))];
    const folders = ['inbox', 'Inbox', 'archive', 'ARCHIVE', folderIds.inbox, folderIds.archive];
    const queries = fc.sample(
      fc.record({
        from: maybe(fc.tuple(fc.constantFrom(...senders, 'nobody@contoso.example'), fc.boolean())),
        folder: maybe(fc.constantFrom(...folders)),
        has_attachments: maybe(fc.boolean()),
        conversation_id: maybe(fc.constantFrom(...conversations.slice(0, 8), 'AAQkNoSuchConversation')),
        is_read: maybe(fc.boolean()),
        search: maybe(fc.constantFrom('café', 'RE:', 'Übersicht', 'invoice')),
      }),
      { numRuns: 50, seed },
    );
    let found = 0;
    const folderOf = (f: string) => (f.toLowerCase() === 'inbox' || f === folderIds.inbox ? 'inbox' : 'archive');
    for (const q of queries) {
      const params: Record<string, string> = {};
      if (q.from) params.from = mixCase(...q.from);
      if (q.folder) params.folder = q.folder;
      if (q.has_attachments !== undefined) params.has_attachments = String(q.has_attachments);
      if (q.conversation_id) params.conversation_id = q.conversation_id;
      if (q.is_read !== undefined) params.is_read = String(q.is_read);
      if (q.search) params.search = q.search;
      const term = q.search ? foldCase(q.search) : undefined;
      const expected = messages
        .filter((m) => !q.from || m.from === q.from[0].toLowerCase())
        .filter((m) => !q.folder || m.folder === folderOf(q.folder))
        .filter((m) => q.has_attachments === undefined || m.hasAttachments === q.has_attachments)
        .filter((m) => !q.conversation_id || m.conversationId === q.conversation_id)
        .filter((m) => q.is_read === undefined || m.isRead === q.is_read)
        .filter((m) => !term || m.text.includes(term))
        .sort((a, b) => b.received - a.received || byText(a.id, b.id))
        .map((m) => m.externalId);
      expect(await all('integrations/email-messages', params), JSON.stringify(params)).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(300);
  });

  it('walking every page of a filtered query returns each message once, in order', async () => {
    const queries: Record<string, string>[] = [
      { folder: 'archive' },
      { has_attachments: 'true', folder: folderIds.inbox },
    ];
    for (const params of queries) {
      const paged = await all('integrations/email-messages', params, '4');
      expect(new Set(paged).size).toBe(paged.length);
      expect(paged).toEqual(await all('integrations/email-messages', params));
      expect(paged.length).toBeGreaterThan(4);
    }
  });
});

const RANK = ['tentative', 'workingElsewhere', 'busy', 'oof'];

/** Free/busy by brute force: every stretch between two event edges takes the strongest status covering it. */
function referenceBusy(list: RefEvent[], start: number, end: number) {
  const counted = list.filter((e) => !e.isCancelled && RANK.includes(e.showAs) && e.start < end && e.end > start);
  const edges = [...new Set([start, end, ...counted.flatMap((e) => [e.start, e.end])])]
    .filter((t) => t >= start && t <= end)
    .sort((a, b) => a - b);
  const out: { start: string; end: string; status: string }[] = [];
  let last: { from: number; to: number; status: string } | undefined;
  const flush = () =>
    last &&
    out.push({
      start: iso(last.from).replace('.000Z', 'Z'),
      end: iso(last.to).replace('.000Z', 'Z'),
      status: last.status,
    });
  for (let i = 0; i + 1 < edges.length; i++) {
    const [a, b] = [edges[i]!, edges[i + 1]!];
    const covering = counted.filter((e) => e.start <= a && e.end >= b).map((e) => RANK.indexOf(e.showAs));
    const status = covering.length ? RANK[Math.max(...covering)]! : undefined;
    if (last && status === last.status && last.to === a) last.to = b;
    else {
      flush();
      last = status ? { from: a, to: b, status } : undefined;
    }
  }
  flush();
  return out;
}

describe('free/busy equals a reference computed from the ground truth', () => {
  it('30 random windows (up to 62 days) over the synced calendar', async () => {
    const windows = fc.sample(
      fc.record({ from: fc.integer({ min: -30 * 24, max: 30 * 24 }), hours: fc.integer({ min: 1, max: 62 * 24 }) }),
      { numRuns: 30, seed },
    );
    let intervals = 0;
    for (const w of windows) {
      const start = today + w.from * HOUR;
      const end = Math.min(start + w.hours * HOUR, today + 31 * DAY);
      if (end <= start) continue;
      const res = await stack.api(
        'GET',
        `integrations/free-busy?${new URLSearchParams({ start_date: iso(start), end_date: iso(end) })}`,
        { token },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.busy, `${iso(start)}..${iso(end)}`).toEqual(referenceBusy(events, start, end));
      intervals += res.body.busy.length;
    }
    expect(intervals).toBeGreaterThan(100);
    const statuses = referenceBusy(events, today - 30 * DAY, today + 31 * DAY).map((i) => i.status);
    expect(new Set(statuses)).toEqual(new Set(RANK));
  });

  it('an integration of the other provider is 404; no Graph request is made', async () => {
    expect((await stack.api('GET', `integrations/free-busy?integration_id=${mailId}`, { token })).status).toBe(404);
    const before = stack.sim.stats().graph_requests;
    const res = await stack.api('GET', `integrations/free-busy?integration_id=${calendarId}`, { token });
    expect(res.status).toBe(200);
    expect(stack.sim.stats().graph_requests).toBe(before);
  });
});
