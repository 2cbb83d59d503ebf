import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimUser } from '../../dev/sim/contract.js';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { expandDays, recurrenceSchema, type Recurrence } from '../../dev/sim/graph/recurrence.js';
import { callerFor, json } from '../../dev/sim/graph/testing.js';
import { dateOnly, dayNumber, parseDateOnly, resolveZone, utcToLocal } from '../../dev/sim/graph/time.js';

const day = (s: string): number => parseDateOnly(s) ?? Number.NaN;
const dates = (days: number[]): string[] => days.map(dateOnly);
const rec = (pattern: object, range: object): Recurrence => recurrenceSchema.parse({ pattern, range });

describe('recurrence expansion', () => {
  it('expands a daily pattern with an interval up to its end date', () => {
    const r = rec({ type: 'daily', interval: 2 }, { type: 'endDate', startDate: '2025-01-30', endDate: '2025-02-05' });
    expect(dates(expandDays(r, day('2025-01-01'), day('2025-12-31')))).toEqual([
      '2025-01-30',
      '2025-02-01',
      '2025-02-03',
      '2025-02-05',
    ]);
  });

  it('expands a bi-weekly pattern on several days, counting weeks from firstDayOfWeek', () => {
    const r = rec(
      { type: 'weekly', interval: 2, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'sunday' },
      { type: 'endDate', startDate: '2025-03-05', endDate: '2025-03-31' },
    );
    // 2025-03-05 is a Wednesday: the Monday of that week (03-03) is before the start and skipped.
    expect(dates(expandDays(r, day('2025-03-01'), day('2025-03-31')))).toEqual([
      '2025-03-05',
      '2025-03-17',
      '2025-03-19',
      '2025-03-31',
    ]);
  });

  it('counts a numbered range from the series start even when the window starts later', () => {
    const r = rec(
      { type: 'daily', interval: 1 },
      { type: 'numbered', startDate: '2025-01-01', numberOfOccurrences: 10 },
    );
    expect(dates(expandDays(r, day('2025-01-08'), day('2025-02-28')))).toEqual([
      '2025-01-08',
      '2025-01-09',
      '2025-01-10',
    ]);
  });

  it('clamps an absolute monthly day to the end of shorter months', () => {
    const r = rec(
      { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 },
      { type: 'numbered', startDate: '2024-01-31', numberOfOccurrences: 3 },
    );
    expect(dates(expandDays(r, day('2024-01-01'), day('2024-12-31')))).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
    ]);
  });

  it('finds relative monthly and yearly days', () => {
    const lastFriday = rec(
      { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' },
      { type: 'noEnd', startDate: '2025-01-01' },
    );
    expect(dates(expandDays(lastFriday, day('2025-01-01'), day('2025-03-31')))).toEqual([
      '2025-01-31',
      '2025-02-28',
      '2025-03-28',
    ]);
    const thanksgiving = rec(
      { type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['thursday'], index: 'fourth' },
      { type: 'noEnd', startDate: '2023-01-01' },
    );
    expect(dates(expandDays(thanksgiving, day('2023-01-01'), day('2025-12-31')))).toEqual([
      '2023-11-23',
      '2024-11-28',
      '2025-11-27',
    ]);
    const birthday = rec(
      { type: 'absoluteYearly', interval: 2, month: 6, dayOfMonth: 15 },
      { type: 'noEnd', startDate: '2020-01-01' },
    );
    expect(dates(expandDays(birthday, day('2021-01-01'), day('2025-12-31')))).toEqual(['2022-06-15', '2024-06-15']);
  });

  it('rejects incomplete patterns', () => {
    expect(
      recurrenceSchema.safeParse({ pattern: { type: 'weekly' }, range: { type: 'noEnd', startDate: '2025-01-01' } })
        .success,
    ).toBe(false);
    expect(
      recurrenceSchema.safeParse({ pattern: { type: 'daily' }, range: { type: 'endDate', startDate: '2025-01-01' } })
        .success,
    ).toBe(false);
    expect(
      recurrenceSchema.safeParse({ pattern: { type: 'daily' }, range: { type: 'noEnd', startDate: '2025-02-30' } })
        .success,
    ).toBe(false);
  });

  it('gives the same days for a window as for the whole series cut to that window (property)', () => {
    const weekday = fc.constantFrom('sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday');
    const pattern = fc.oneof(
      fc.record({ type: fc.constant('daily'), interval: fc.integer({ min: 1, max: 5 }) }),
      fc.record({
        type: fc.constant('weekly'),
        interval: fc.integer({ min: 1, max: 3 }),
        daysOfWeek: fc.uniqueArray(weekday, { minLength: 1, maxLength: 7 }),
        firstDayOfWeek: weekday,
      }),
      fc.record({
        type: fc.constant('absoluteMonthly'),
        interval: fc.integer({ min: 1, max: 3 }),
        dayOfMonth: fc.integer({ min: 1, max: 31 }),
      }),
    );
    const range = fc.oneof(
      fc.record({ type: fc.constant('noEnd'), startDate: fc.constant('2025-01-10') }),
      fc.record({
        type: fc.constant('numbered'),
        startDate: fc.constant('2025-01-10'),
        numberOfOccurrences: fc.integer({ min: 1, max: 60 }),
      }),
      fc.record({
        type: fc.constant('endDate'),
        startDate: fc.constant('2025-01-10'),
        endDate: fc.constantFrom('2025-02-01', '2025-06-30'),
      }),
    );
    fc.assert(
      fc.property(
        pattern,
        range,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 60 }),
        (p, rg, offset, length) => {
          const r = rec(p, rg);
          const all = expandDays(r, day('2025-01-01'), day('2026-01-01'));
          const from = day('2025-01-01') + offset;
          const to = from + length;
          expect(expandDays(r, from, to)).toEqual(all.filter((d) => d >= from && d <= to));
          expect(new Set(all).size).toBe(all.length);
          expect(all.every((d) => d >= day('2025-01-10'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('series in the calendar', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  const setup = (): { user: SimUser; call: ReturnType<typeof callerFor> } => {
    const service = createGraphService({ seed: 3, now: () => now });
    const user = service.createUser({
      email: 'series@contoso.com',
      calendar: { events: 0, all_day: 0, recurring_series: 0 },
    });
    return { user, call: callerFor(service, user) };
  };

  it('keeps the wall-clock time across a DST change and hides the master from calendarView', async () => {
    const { call } = setup();
    const created = await call('POST', '/me/events', {
      body: {
        subject: 'Team sync',
        start: { dateTime: '2025-03-03T09:00:00', timeZone: 'Pacific Standard Time' },
        end: { dateTime: '2025-03-03T09:30:00', timeZone: 'Pacific Standard Time' },
        recurrence: {
          pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
          range: { type: 'numbered', startDate: '2025-03-03', numberOfOccurrences: 3 },
        },
      },
    });
    expect(created.status).toBe(201);
    const master = json(created);
    expect(master.type).toBe('seriesMaster');
    const view = json(
      await call('GET', '/me/calendarView?startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-01T00:00:00Z'),
    );
    const items = view.value as Array<Record<string, unknown>>;
    // PST (UTC-8) before 9 March 2025, PDT (UTC-7) after.
    expect(items.map((i) => (i.start as { dateTime: string }).dateTime)).toEqual([
      '2025-03-03T17:00:00.0000000',
      '2025-03-10T16:00:00.0000000',
      '2025-03-17T16:00:00.0000000',
    ]);
    expect(
      items.every((i) => i.type === 'occurrence' && i.seriesMasterId === master.id && i.subject === 'Team sync'),
    ).toBe(true);
    expect(new Set(items.map((i) => i.id)).size).toBe(3);
    const got = json(await call('GET', `/me/events/${String(master.id)}`));
    expect(got.type).toBe('seriesMaster');
    expect((got.recurrence as Recurrence).pattern.daysOfWeek).toEqual(['monday']);
  });

  it('turns an edited occurrence into an exception with the same id and a deleted one into a gap', async () => {
    const { call } = setup();
    await call('POST', '/me/events', {
      body: {
        subject: 'Daily',
        start: { dateTime: '2025-03-03T08:00:00', timeZone: 'UTC' },
        end: { dateTime: '2025-03-03T08:15:00', timeZone: 'UTC' },
        recurrence: {
          pattern: { type: 'daily', interval: 1 },
          range: { type: 'endDate', startDate: '2025-03-03', endDate: '2025-03-07' },
        },
      },
    });
    const url = '/me/calendarView?startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-03-10T00:00:00Z';
    const before = json(await call('GET', url)).value as Array<Record<string, unknown>>;
    expect(before).toHaveLength(5);
    const [, second, third] = before;
    const patched = await call('PATCH', `/me/events/${String(second?.id)}`, {
      body: {
        subject: 'Daily (moved)',
        start: { dateTime: '2025-03-04T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2025-03-04T10:15:00', timeZone: 'UTC' },
      },
    });
    expect(patched.status).toBe(200);
    expect(await call('DELETE', `/me/events/${String(third?.id)}`)).toMatchObject({ status: 204 });
    const after = json(await call('GET', url)).value as Array<Record<string, unknown>>;
    expect(after).toHaveLength(4);
    const ex = after.find((i) => i.id === second?.id);
    expect(ex).toMatchObject({
      type: 'exception',
      subject: 'Daily (moved)',
      start: { dateTime: '2025-03-04T10:00:00.0000000', timeZone: 'UTC' },
    });
    expect(after.some((i) => i.id === third?.id)).toBe(false);
    expect((await call('GET', `/me/events/${String(third?.id)}`)).status).toBe(404);
  });

  it('seeds series with an exception and a cancelled occurrence near today', async () => {
    const service = createGraphService({ seed: 11, now: () => now });
    const user = service.createUser({
      email: 'seeded@contoso.com',
      calendar: { events: 0, all_day: 0, recurring_series: 4 },
    });
    const call = callerFor(service, user);
    const items = service.calendarTruth(
      'seeded@contoso.com',
      new Date('2025-01-01T00:00:00Z'),
      new Date('2025-04-30T00:00:00Z'),
    ) as Array<Record<string, unknown>>;
    const exceptions = items.filter((i) => i.type === 'exception');
    expect(exceptions.length).toBe(2);
    expect(items.some((i) => i.type === 'seriesMaster')).toBe(false);
    const today = Math.floor(now.getTime() / 86_400_000);
    for (const ex of exceptions) {
      expect(String(ex.subject)).toMatch(/\(moved\)$/);
      const master = json(await call('GET', `/me/events/${String(ex.seriesMasterId)}`));
      const r = master.recurrence as Recurrence;
      const zone = resolveZone(r.range.recurrenceTimeZone);
      if (!zone) throw new Error('series without a zone');
      const localDay = (i: Record<string, unknown>): number =>
        dayNumber(utcToLocal(zone.iana, Date.parse(`${(i.start as { dateTime: string }).dateTime}Z`)));
      const [d0, d1, d2] = expandDays(r, today, today + 60);
      const occurrenceDays = items
        .filter((i) => i.seriesMasterId === master.id && i.type === 'occurrence')
        .map(localDay);
      // d0 became the exception (moved an hour later), d1 was cancelled, d2 is an ordinary occurrence.
      expect(occurrenceDays).not.toContain(d0);
      expect(occurrenceDays).not.toContain(d1);
      expect(occurrenceDays).toContain(d2);
      expect(Date.parse(`${(ex.start as { dateTime: string }).dateTime}Z`)).toBeGreaterThan(now.getTime());
    }
  });
});
