import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../shared/graph/html-text.js';
import {
  mapEvent,
  MAX_ATTENDEES_JSON_CHARS,
  MAX_DESCRIPTION_CHARS,
  withMasterFields,
} from '../../shared/graph/map-event.js';
import { mapMessage } from '../../shared/graph/map-message.js';
import { graphEventSchema, graphMessageSchema, parseDeltaPage } from '../../shared/graph/schemas.js';
import { toEpochMs } from '../../shared/graph/time.js';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { eventRowSchema, eventToRow } from '../../shared/items/event.js';
import { eventRowKey, LONG_EVENT_MS } from '../../shared/items/keys.js';
import { MESSAGE_SELECT } from '../../shared/graph/map-message.js';
import onlineMeetingExample from '../fixtures/graph-examples/event-create-online-meeting.json' with { type: 'json' };

describe('Graph times', () => {
  it('reads UTC wall times with 7 fractional digits', () => {
    expect(toEpochMs('2024-01-31T23:59:59.0000000', 'UTC')).toBe(Date.parse('2024-01-31T23:59:59Z'));
  });
  it('converts IANA zones, across daylight saving', () => {
    expect(toEpochMs('2024-07-01T09:00:00.0000000', 'Europe/Berlin')).toBe(Date.parse('2024-07-01T07:00:00Z'));
    expect(toEpochMs('2024-01-15T09:00:00.0000000', 'Europe/Berlin')).toBe(Date.parse('2024-01-15T08:00:00Z'));
    expect(toEpochMs('2024-03-10T12:00:00', 'America/Los_Angeles')).toBe(Date.parse('2024-03-10T19:00:00Z'));
  });
  it('refuses a zone it cannot resolve rather than guessing', () => {
    expect(toEpochMs('2024-01-01T00:00:00', 'Pacific Standard Time')).toBeUndefined();
    expect(toEpochMs('not a date', 'UTC')).toBeUndefined();
  });
});

describe('event bodies', () => {
  it('turns HTML into text without tags, with entities decoded', () => {
    expect(
      htmlToText(
        '<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b> &amp; you</p><p>line&#33;</p><script>x()</script></body></html>',
      ),
    ).toBe('Hello world & you\nline!');
  });
});

const base = {
  id: 'AAMk-1',
  subject: 'Standup',
  body: { contentType: 'html', content: '<p>Agenda</p>' },
  start: { dateTime: '2024-02-01T09:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2024-02-01T09:30:00.0000000', timeZone: 'UTC' },
  originalStartTimeZone: 'Pacific Standard Time',
  attendees: [
    {
      type: 'required',
      status: { response: 'accepted' },
      emailAddress: { name: 'Ann', address: 'Ann@Contoso.example' },
    },
  ],
  organizer: { emailAddress: { name: 'Bo', address: 'bo@contoso.example' } },
};

describe('mapEvent', () => {
  it('maps a Graph event to the stored record', () => {
    const record = mapEvent('int-1', graphEventSchema.parse(base))!;
    expect(record).toMatchObject({
      externalId: 'AAMk-1',
      title: 'Standup',
      description: 'Agenda',
      descriptionTruncated: false,
      startMs: Date.parse('2024-02-01T09:00:00Z'),
      endMs: Date.parse('2024-02-01T09:30:00Z'),
      timeZone: 'Pacific Standard Time',
      attendees: [{ name: 'Ann', email: 'ann@contoso.example', type: 'required', response: 'accepted' }],
      attendeesTotal: 1,
      organizer: { name: 'Bo', email: 'bo@contoso.example' },
    });
  });

  it('cuts bodies and attendee lists that would break Table limits, and says so', () => {
    const attendees = Array.from({ length: 2000 }, (_, i) => ({
      type: 'optional',
      emailAddress: { name: `Person ${i}`, address: `p${i}@contoso.example` },
    }));
    const mapped = mapEvent(
      'int-1',
      graphEventSchema.parse({ ...base, body: { contentType: 'text', content: 'x'.repeat(100_000) }, attendees }),
    )!;
    // The field table cuts as it writes the row: what is read back is what was stored.
    const record = eventRowSchema.parse(eventToRow('int-1', 'e|k', mapped));
    expect(record.description).toHaveLength(MAX_DESCRIPTION_CHARS);
    expect(record.descriptionTruncated).toBe(true);
    expect(record.attendeesTotal).toBe(2000);
    expect(record.attendees.length).toBeLessThan(2000);
    expect(JSON.stringify(record.attendees).length).toBeLessThanOrEqual(MAX_ATTENDEES_JSON_CHARS);
  });

  it('fills what an occurrence leaves out from its series master', () => {
    const occurrence = graphEventSchema.parse({
      id: 'occ-1',
      type: 'occurrence',
      seriesMasterId: 'master',
      start: base.start,
      end: base.end,
    });
    const merged = mapEvent(
      'int-1',
      withMasterFields(occurrence, graphEventSchema.parse({ ...base, id: 'master', type: 'seriesMaster' })),
    )!;
    expect(merged).toMatchObject({
      externalId: 'occ-1',
      title: 'Standup',
      type: 'occurrence',
      seriesMasterId: 'master',
      timeZone: 'Pacific Standard Time',
    });
  });

  it("maps show_as, the online meeting's join URL, categories and the IANA zone (Graph's own example)", () => {
    const mapped = mapEvent(
      'int-1',
      // The example shows times in its organiser's zone; the sync asks for UTC.
      graphEventSchema.parse({ ...onlineMeetingExample.response.body, start: base.start, end: base.end }),
    )!;
    expect(mapped).toMatchObject({
      showAs: 'busy',
      isOnlineMeeting: true,
      categories: [],
      timeZone: 'Pacific Standard Time',
      timeZoneIana: 'America/Los_Angeles',
    });
    // onlineMeetingUrl is null for Teams meetings; the link is onlineMeeting.joinUrl.
    expect(mapped.onlineMeetingUrl).toBe(onlineMeetingExample.response.body.onlineMeeting.joinUrl);
    const plain = mapEvent(
      'int-1',
      graphEventSchema.parse({ ...base, showAs: 'somethingNew', categories: ['Red'], onlineMeetingUrl: 'https://m/1' }),
    )!;
    expect(plain).toMatchObject({ showAs: 'unknown', categories: ['Red'], onlineMeetingUrl: 'https://m/1' });
    const tooLong = mapEvent(
      'int-1',
      graphEventSchema.parse({ ...base, onlineMeeting: { joinUrl: `https://m/${'x'.repeat(5_000)}` } }),
    )!;
    expect(tooLong.onlineMeetingUrl).toBeNull(); // a cut link joins nothing
    expect(
      mapEvent('int-1', graphEventSchema.parse({ ...base, originalStartTimeZone: 'tzone://Microsoft/Custom' })),
    ).toMatchObject({ timeZoneIana: null });
  });

  it('an occurrence stub takes show_as, the meeting and categories from its master', () => {
    const stub = graphEventSchema.parse({
      id: 'occ-2',
      type: 'occurrence',
      seriesMasterId: 'm',
      start: base.start,
      end: base.end,
    });
    const master = graphEventSchema.parse({
      ...base,
      id: 'm',
      type: 'seriesMaster',
      showAs: 'oof',
      isOnlineMeeting: true,
      onlineMeeting: { joinUrl: 'https://teams.example/j' },
      categories: ['Blue category'],
    });
    expect(stub.showAs).toBeUndefined();
    expect(mapEvent('int-1', withMasterFields(stub, master))).toMatchObject({
      showAs: 'oof',
      isOnlineMeeting: true,
      onlineMeetingUrl: 'https://teams.example/j',
      categories: ['Blue category'],
    });
  });

  it('rejects an event without usable times', () => {
    expect(
      mapEvent(
        'int-1',
        graphEventSchema.parse({ id: 'x', start: { dateTime: 'bad', timeZone: 'UTC' }, end: base.end }),
      ),
    ).toBeUndefined();
  });
});

describe('mapMessage', () => {
  it('asks Graph for categories and stores them with the folder of its stream', () => {
    expect(MESSAGE_SELECT.split(',')).toContain('categories');
    const m = mapMessage(
      'int-1',
      'archive',
      graphMessageSchema.parse({ id: 'm2', receivedDateTime: '2024-01-02T03:04:05Z', categories: ['Red category'] }),
    )!;
    expect(m).toMatchObject({ folder: 'archive', categories: ['Red category'] });
  });

  it('accepts the docs spelling of isRead as a string and normalises importance', () => {
    const m = mapMessage(
      'int-1',
      'inbox',
      graphMessageSchema.parse({
        id: 'm1',
        receivedDateTime: '2024-01-02T03:04:05Z',
        isRead: 'true',
        importance: 'High',
        from: { emailAddress: { name: 'Zoë', address: 'ZOE@x.example' } },
      }),
    )!;
    expect(m).toMatchObject({
      isRead: true,
      importance: 'high',
      from: { name: 'Zoë', email: 'zoe@x.example' },
      folder: 'inbox',
    });
  });
});

describe('delta pages', () => {
  it('separates removals from upserts and counts what fails its schema', () => {
    const page = parseDeltaPage(
      {
        value: [{ id: 'a', subject: 's' }, { id: 'b', '@removed': { reason: 'deleted' } }, { subject: 'no id' }],
        '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x',
      },
      graphEventSchema,
    );
    expect(page.entries.map((e) => e.kind)).toEqual(['upsert', 'remove']);
    expect(page.rejected).toBe(1);
    expect(page.deltaLink).toContain('$deltatoken');
  });
});

describe('calendar window and row keys', () => {
  it('moves the window a whole UTC day at a time', () => {
    const a = calendarWindow(new Date('2024-03-10T00:00:01Z'), 30, 30);
    const b = calendarWindow(new Date('2024-03-10T23:59:59Z'), 30, 30);
    expect(a).toEqual(b);
    expect(a).toEqual({ start: '2024-02-09T00:00:00.000Z', end: '2024-04-10T00:00:00.000Z' });
  });
  it('keeps long events under their own prefix and orders rows by start', () => {
    expect(eventRowKey(0, LONG_EVENT_MS + 1, 'id')).toMatch(/^l\|/);
    expect(eventRowKey(0, LONG_EVENT_MS, 'id')).toMatch(/^e\|/);
    expect(
      eventRowKey(Date.parse('2024-01-01T00:00:00Z'), 0, 'b') < eventRowKey(Date.parse('2024-01-02T00:00:00Z'), 0, 'a'),
    ).toBe(true);
  });
});
