import { describe, expect, it } from 'vitest';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { callerFor, json } from '../../dev/sim/graph/testing.js';
import { localToUtc, parseInstant, resolveZone, utcToLocal, wallDateTime } from '../../dev/sim/graph/time.js';

type Obj = Record<string, unknown>;
const now = new Date('2025-03-10T12:00:00Z');

function setup() {
  const service = createGraphService({ seed: 5, now: () => now });
  const user = service.createUser({
    email: 'tz@contoso.com',
    calendar: { events: 0, all_day: 0, recurring_series: 0 },
  });
  return { service, call: callerFor(service, user) };
}

describe('time zones', () => {
  it('resolves Windows and IANA names and converts across DST', () => {
    const pacific = resolveZone('pacific standard time');
    expect(pacific?.iana).toBe('America/Los_Angeles');
    expect(resolveZone('Europe/Paris')?.iana).toBe('Europe/Paris');
    expect(resolveZone('Mars Standard Time')).toBeUndefined();
    const winter = localToUtc('America/Los_Angeles', Date.UTC(2025, 0, 15, 9));
    const summer = localToUtc('America/Los_Angeles', Date.UTC(2025, 6, 15, 9));
    expect(new Date(winter).toISOString()).toBe('2025-01-15T17:00:00.000Z');
    expect(new Date(summer).toISOString()).toBe('2025-07-15T16:00:00.000Z');
    expect(wallDateTime(utcToLocal('Asia/Tokyo', winter))).toBe('2025-01-16T02:00:00.0000000');
  });

  it('reads query instants with Z, offsets, no offset (UTC) and an unencoded plus', () => {
    expect(parseInstant('2025-03-01T10:00:00Z')).toBe(Date.UTC(2025, 2, 1, 10));
    expect(parseInstant('2025-03-01T10:00:00-08:00')).toBe(Date.UTC(2025, 2, 1, 18));
    expect(parseInstant('2025-03-01T10:00:00 01:00')).toBe(Date.UTC(2025, 2, 1, 9));
    expect(parseInstant('2025-03-01T10:00:00.0000000')).toBe(Date.UTC(2025, 2, 1, 10));
    expect(parseInstant('2025-02-30T10:00:00Z')).toBeUndefined();
    expect(parseInstant('yesterday')).toBeUndefined();
  });

  it('renders a timed event in the zone asked for by Prefer: outlook.timezone', async () => {
    const { call } = setup();
    const created = json(
      await call('POST', '/me/events', {
        body: {
          subject: 'Call',
          start: { dateTime: '2025-03-12T09:00:00', timeZone: 'Pacific Standard Time' },
          end: { dateTime: '2025-03-12T10:00:00', timeZone: 'Pacific Standard Time' },
        },
      }),
    );
    // The create answer echoes the request's zone, as Graph does.
    expect(created.start).toEqual({ dateTime: '2025-03-12T09:00:00.0000000', timeZone: 'Pacific Standard Time' });
    const id = String(created.id);
    expect(json(await call('GET', `/me/events/${id}`)).start).toEqual({
      dateTime: '2025-03-12T16:00:00.0000000',
      timeZone: 'UTC',
    });
    const berlin = await call('GET', `/me/events/${id}`, {
      headers: { Prefer: 'outlook.timezone="W. Europe Standard Time"' },
    });
    expect(json(berlin).start).toEqual({
      dateTime: '2025-03-12T17:00:00.0000000',
      timeZone: 'W. Europe Standard Time',
    });
    expect(berlin.headers?.['Preference-Applied']).toBe('outlook.timezone="W. Europe Standard Time"');
    expect(json(berlin).originalStartTimeZone).toBe('Pacific Standard Time');
  });

  it('keeps all-day events at midnight in every zone and places them by date', async () => {
    const { service, call } = setup();
    const created = await call('POST', '/me/events', {
      body: {
        subject: 'Holiday 日本',
        isAllDay: true,
        start: { dateTime: '2025-03-12T00:00:00', timeZone: 'Tokyo Standard Time' },
        end: { dateTime: '2025-03-13T00:00:00', timeZone: 'Tokyo Standard Time' },
      },
    });
    expect(created.status).toBe(201);
    const id = String(json(created).id);
    for (const zone of ['UTC', 'Pacific Standard Time', 'Tokyo Standard Time']) {
      const got = json(await call('GET', `/me/events/${id}`, { headers: { Prefer: `outlook.timezone="${zone}"` } }));
      expect(got).toMatchObject({ isAllDay: true, originalStartTimeZone: 'Tokyo Standard Time' });
      expect(got.start).toEqual({ dateTime: '2025-03-12T00:00:00.0000000', timeZone: zone });
      expect(got.end).toEqual({ dateTime: '2025-03-13T00:00:00.0000000', timeZone: zone });
    }
    const ids = (s: string, e: string): string[] =>
      (service.calendarTruth('tz@contoso.com', new Date(s), new Date(e)) as Obj[]).map((i) => String(i.id));
    expect(ids('2025-03-12T23:00:00Z', '2025-03-13T00:00:00Z')).toEqual([id]);
    expect(ids('2025-03-11T00:00:00Z', '2025-03-12T00:00:00Z')).toEqual([]);
    expect(ids('2025-03-13T00:00:00Z', '2025-03-14T00:00:00Z')).toEqual([]);
  });

  it('rejects all-day events that do not start and end at midnight, and unknown zones', async () => {
    const { call } = setup();
    const notMidnight = await call('POST', '/me/events', {
      body: {
        subject: 'x',
        isAllDay: true,
        start: { dateTime: '2025-03-12T08:00:00', timeZone: 'UTC' },
        end: { dateTime: '2025-03-13T00:00:00', timeZone: 'UTC' },
      },
    });
    expect(notMidnight.status).toBe(400);
    expect((json(notMidnight).error as Obj).code).toBe('ErrorPropertyValidationFailure');
    const badZone = await call('POST', '/me/events', {
      body: {
        subject: 'x',
        start: { dateTime: '2025-03-12T08:00:00', timeZone: 'Mars Standard Time' },
        end: { dateTime: '2025-03-12T09:00:00', timeZone: 'UTC' },
      },
    });
    expect((json(badZone).error as Obj).code).toBe('TimeZoneNotSupportedException');
  });

  it('seeds all-day events as whole days in several zones', () => {
    const service = createGraphService({ seed: 9, now: () => now });
    service.createUser({ email: 'allday@contoso.com', calendar: { events: 0, recurring_series: 0, all_day: 40 } });
    const items = service.calendarTruth(
      'allday@contoso.com',
      new Date('2024-12-01T00:00:00Z'),
      new Date('2025-06-01T00:00:00Z'),
    ) as Obj[];
    expect(items).toHaveLength(40);
    for (const i of items) {
      expect(i.isAllDay).toBe(true);
      const start = Date.parse(`${(i.start as { dateTime: string }).dateTime}Z`);
      const end = Date.parse(`${(i.end as { dateTime: string }).dateTime}Z`);
      expect(start % 86_400_000).toBe(0);
      expect((end - start) % 86_400_000).toBe(0);
      expect(end).toBeGreaterThan(start);
    }
    expect(new Set(items.map((i) => i.originalStartTimeZone)).size).toBeGreaterThan(2);
  });
});
