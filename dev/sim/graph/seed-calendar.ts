import type { CalendarSeed } from '../contract.js';
import { buildEvent, newICalUId } from './event-json.js';
import { createRng, graphId, seedOf, type Rng } from './ids.js';
import { expandDays, type Recurrence } from './recurrence.js';
import { EVENT_SUBJECTS, LOCATIONS, PEOPLE, TIME_ZONES, htmlBody, paragraph } from './seed-text.js';
import type { AttendeeData, EventFields, EventRecord, Person, Series, UserState } from './store.js';
import { DAY_MS, dateOnly, dayNumber, instant7, localToUtc, resolveZone, UTC_ZONE } from './time.js';
import { occurrenceOf } from './calendar-view.js';

// The seeded calendar: single events from ~60 days back to ~60 days ahead (so a ±30-day window
// misses some), all-day events, and daily/weekly series, half of them with one moved
// (exception) and one deleted occurrence. Everything derives from the user's seed.

export const CALENDAR_DEFAULTS = {
  events: 20,
  recurring_series: 2,
  all_day: 2,
  max_attendees: 5,
  body_bytes: 500,
} as const;

export function newEventId(user: UserState): string {
  return graphId('AAMkAG', user.user.id, 'event', user.calendar.idCounter++);
}

export interface EventDraftOptions {
  rng: Rng;
  me: Person;
  maxAttendees: number;
  bodyBytes: number;
}

/** Fields for a timed event at a wall-clock time in a zone. */
export function draftEvent(o: EventDraftOptions, zoneName: string, wallStartMs: number, minutes: number): EventFields {
  const zone = resolveZone(zoneName) ?? UTC_ZONE;
  const startMs = localToUtc(zone.iana, wallStartMs);
  const { rng } = o;
  const organizedByMe = rng.chance(0.6);
  const organizer = organizedByMe ? o.me : rng.pick(PEOPLE);
  const others = rng
    .shuffle(PEOPLE.filter((p) => p.address !== organizer.address))
    .slice(0, rng.int(0, o.maxAttendees));
  const responses: AttendeeData['response'][] = ['accepted', 'declined', 'tentativelyAccepted', 'none'];
  const attendees: AttendeeData[] = others.map((person, i) => ({
    type: i === 0 || rng.chance(0.7) ? 'required' : 'optional',
    response: rng.pick(responses),
    person,
  }));
  return {
    subject: rng.pick(EVENT_SUBJECTS),
    bodyHtml: htmlBody(paragraph(rng, Math.max(0, o.bodyBytes - 150))),
    startMs,
    endMs: startMs + minutes * 60_000,
    timeZone: zone.name,
    isAllDay: false,
    isCancelled: false,
    location: rng.pick(LOCATIONS),
    attendees,
    organizer,
    isOrganizer: organizedByMe,
    importance: rng.pick(['normal', 'normal', 'high', 'low'] as const),
    showAs: rng.pick(['busy', 'busy', 'tentative', 'free'] as const),
    sensitivity: 'normal',
    categories: rng.chance(0.3) ? [rng.pick(['Blue category', 'Red category', 'Kategorie Grün'])] : [],
    isOnlineMeeting: rng.chance(0.4),
    reminderMinutesBeforeStart: 15,
    responseStatus: organizedByMe
      ? { response: 'organizer', time: '0001-01-01T00:00:00Z' }
      : { response: 'accepted', time: instant7(startMs - 7 * DAY_MS) },
    recurrence: null,
  };
}

function addRecord(
  user: UserState,
  fields: EventFields,
  type: 'singleInstance' | 'seriesMaster',
  nowMs: number,
  rng: Rng,
): EventRecord {
  const id = newEventId(user);
  const createdMs = nowMs - rng.int(1, 90) * DAY_MS - rng.int(0, 86_399) * 1000;
  return buildEvent(
    {
      id,
      type,
      version: 1,
      createdMs,
      modifiedMs: createdMs,
      seriesMasterId: null,
      originalDay: null,
      iCalUId: newICalUId(id),
    },
    fields,
  );
}

export function seedCalendar(user: UserState, seed: CalendarSeed | undefined, nowMs: number): void {
  const cfg = { ...CALENDAR_DEFAULTS, ...seed };
  const rng = createRng(seedOf(user.seed, 'calendar'));
  const opts: EventDraftOptions = {
    rng,
    me: { name: user.user.displayName, address: user.user.email },
    maxAttendees: cfg.max_attendees,
    bodyBytes: cfg.body_bytes,
  };
  const today = dayNumber(nowMs);
  const cal = user.calendar;

  for (let i = 0; i < cfg.events; i++) {
    const wall = (today + rng.int(-60, 60)) * DAY_MS + (rng.int(7, 18) * 60 + rng.pick([0, 30])) * 60_000;
    const fields = draftEvent(opts, rng.pick(TIME_ZONES), wall, rng.pick([30, 60, 60, 90, 120]));
    fields.isCancelled = rng.chance(0.08);
    if (fields.isCancelled) fields.subject = `Canceled: ${fields.subject}`;
    const rec = addRecord(user, fields, 'singleInstance', nowMs, rng);
    cal.singles.set(rec.id, rec);
  }

  for (let i = 0; i < cfg.all_day; i++) {
    const day = today + rng.int(-60, 60);
    const fields = draftEvent(opts, rng.pick(TIME_ZONES), day * DAY_MS, 0);
    // All-day events are stored as floating dates (UTC midnights); their zone is only a label.
    Object.assign(fields, {
      isAllDay: true,
      startMs: day * DAY_MS,
      endMs: (day + rng.pick([1, 1, 1, 2, 3])) * DAY_MS,
      showAs: rng.pick(['free', 'oof'] as const),
      reminderMinutesBeforeStart: 1080,
    });
    const rec = addRecord(user, fields, 'singleInstance', nowMs, rng);
    cal.singles.set(rec.id, rec);
  }

  for (let i = 0; i < cfg.recurring_series; i++) seedSeries(user, opts, i, today, nowMs);
}

function seedSeries(user: UserState, opts: EventDraftOptions, i: number, today: number, nowMs: number): void {
  const { rng } = opts;
  const zoneName = rng.pick(TIME_ZONES);
  const startDay = today - rng.int(5, 45);
  const daily = i % 2 === 1;
  const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;
  const recurrence: Recurrence = {
    pattern: daily
      ? {
          type: 'daily',
          interval: rng.int(1, 2),
          month: 0,
          dayOfMonth: 0,
          daysOfWeek: [],
          firstDayOfWeek: 'sunday',
          index: 'first',
        }
      : {
          type: 'weekly',
          interval: 1,
          month: 0,
          dayOfMonth: 0,
          daysOfWeek: rng.shuffle(days).slice(0, rng.int(1, 3)),
          firstDayOfWeek: 'sunday',
          index: 'first',
        },
    range:
      i % 3 === 2
        ? {
            type: 'noEnd',
            startDate: dateOnly(startDay),
            endDate: '0001-01-01',
            recurrenceTimeZone: zoneName,
            numberOfOccurrences: 0,
          }
        : {
            type: 'endDate',
            startDate: dateOnly(startDay),
            endDate: dateOnly(startDay + rng.int(60, 100)),
            recurrenceTimeZone: zoneName,
            numberOfOccurrences: 0,
          },
  };
  const occurrenceDays = expandDays(recurrence, startDay, startDay + 400);
  const first = occurrenceDays[0] ?? startDay;
  const minuteOfDay = rng.int(8, 16) * 60;
  const fields = draftEvent(opts, zoneName, first * DAY_MS + minuteOfDay * 60_000, rng.pick([30, 45, 60]));
  fields.recurrence = recurrence;
  fields.subject = daily ? `Daily stand-up ${i + 1}` : `Weekly sync ${i + 1}`;
  const master = addRecord(user, fields, 'seriesMaster', nowMs, rng);
  const series: Series = {
    master,
    exceptions: new Map(),
    cancelled: new Set(),
    occurrenceCache: new Map(),
    occurrenceCacheKey: '',
  };
  user.calendar.series.set(master.id, series);

  if (i % 2 === 0) {
    // Pick occurrences close to today so a ±30-day window sees the exception and the gap.
    const upcoming = occurrenceDays.filter((d) => d >= today);
    const exceptionDay = upcoming[0];
    const cancelledDay = upcoming[1];
    if (exceptionDay !== undefined) addException(user, series, exceptionDay, nowMs);
    if (cancelledDay !== undefined) series.cancelled.add(cancelledDay);
  }
}

/**
 * Turns one occurrence into an exception (Graph then lists it as `type: exception`, under the
 * occurrence's id). By default it is moved by an hour and renamed, as the seed wants.
 */
export function addException(
  user: UserState,
  series: Series,
  day: number,
  nowMs: number,
  edit: (f: EventFields) => EventFields = (f) => ({
    ...f,
    subject: `${f.subject} (moved)`,
    startMs: f.startMs + 3_600_000,
    endMs: f.endMs + 3_600_000,
  }),
): EventRecord {
  const master = series.master;
  const occ = occurrenceOf(user.calendar, series, day);
  const fields = edit({ ...master.fields, recurrence: null, startMs: occ.startMs, endMs: occ.endMs });
  // Like Graph, the exception keeps the id of the occurrence it replaces.
  const id = occ.id;
  const rec = buildEvent(
    {
      id,
      type: 'exception',
      version: 1,
      createdMs: nowMs,
      modifiedMs: nowMs,
      seriesMasterId: master.id,
      originalDay: day,
      iCalUId: String(master.json.iCalUId),
    },
    fields,
  );
  series.exceptions.set(day, rec);
  user.calendar.exceptionOwner.set(id, master.id);
  return rec;
}
