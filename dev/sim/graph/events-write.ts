import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { renderEvent } from './calendar-view.js';
import { CALENDAR_WRITE, ok, parseBody, requireScope, type Ctx } from './context.js';
import { badRequest, GraphError, itemNotFound } from './errors.js';
import { buildEvent, newICalUId } from './event-json.js';
import { addSingle, deleteEvent, editEvent, locateEvent } from './mutate-calendar.js';
import { expandDays, recurrenceSchema } from './recurrence.js';
import { newEventId } from './seed-calendar.js';
import { htmlBody } from './seed-text.js';
import type { EventFields, Series } from './store.js';
import {
  DAY_MS,
  dateOnly,
  dayNumber,
  localToUtc,
  parseDateOnly,
  parseInstant,
  parseWallDateTime,
  resolveZone,
  utcToLocal,
  type Zone,
} from './time.js';

// POST /me/events, PATCH and DELETE /me/events/{id} (user-post-events.md, event-update.md,
// event-delete.md). Need Calendars.ReadWrite. PATCH or DELETE of an occurrence turns it into
// an exception or cancels that date, as in Outlook.

const dateTimeTimeZone = z.object({ dateTime: z.string().min(1), timeZone: z.string().default('UTC') });
const emailAddress = z.object({ address: z.string().min(3).max(320), name: z.string().max(255).optional() });
const eventPatch = z.object({
  subject: z.string().max(255).optional(),
  body: z
    .object({
      contentType: z
        .string()
        .regex(/^(html|text)$/i)
        .default('html'),
      content: z.string().max(1_000_000),
    })
    .optional(),
  start: dateTimeTimeZone.optional(),
  end: dateTimeTimeZone.optional(),
  isAllDay: z.boolean().optional(),
  // Not capped at Outlook's input-box size: other clients and calendar imports store long ones.
  location: z.object({ displayName: z.string().max(100_000).default('') }).nullish(),
  attendees: z
    .array(z.object({ emailAddress, type: z.enum(['required', 'optional', 'resource']).default('required') }))
    .max(500)
    .optional(),
  importance: z.enum(['low', 'normal', 'high']).optional(),
  showAs: z.enum(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']).optional(),
  sensitivity: z.enum(['normal', 'personal', 'private', 'confidential']).optional(),
  categories: z.array(z.string().max(255)).max(50).optional(),
  isOnlineMeeting: z.boolean().optional(),
  reminderMinutesBeforeStart: z.number().int().min(0).max(525_600).optional(),
  recurrence: recurrenceSchema.nullish(),
});
const eventCreate = eventPatch.extend({ start: dateTimeTimeZone, end: dateTimeTimeZone });
type EventPatch = z.infer<typeof eventPatch>;

function zoneOf(name: string): Zone {
  const zone = resolveZone(name);
  if (!zone)
    throw new GraphError(
      400,
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`,
    );
  return zone;
}

/** A dateTimeTimeZone as an instant; all-day values must be midnights and become floating dates. */
function instantOf(v: { dateTime: string; timeZone: string }, allDay: boolean): number {
  const zone = zoneOf(v.timeZone);
  const wall = parseWallDateTime(v.dateTime);
  if (allDay) {
    if (wall === undefined || wall % DAY_MS !== 0) {
      throw new GraphError(
        400,
        'ErrorPropertyValidationFailure',
        'The start and end of an all-day event must be midnight.',
      );
    }
    return wall;
  }
  if (wall !== undefined) return localToUtc(zone.iana, wall);
  const instant = parseInstant(v.dateTime);
  if (instant === undefined)
    throw badRequest(`Cannot convert the literal '${v.dateTime}' to the expected type 'Edm.DateTime'.`);
  return instant;
}

function applyPatch(f: EventFields, p: EventPatch): EventFields {
  const next: EventFields = { ...f };
  if (p.subject !== undefined) next.subject = p.subject;
  if (p.body) next.bodyHtml = p.body.contentType.toLowerCase() === 'text' ? htmlBody(p.body.content) : p.body.content;
  if (p.isAllDay !== undefined) next.isAllDay = p.isAllDay;
  if (p.start) {
    next.startMs = instantOf(p.start, next.isAllDay);
    next.timeZone = zoneOf(p.start.timeZone).name;
  }
  if (p.end) next.endMs = instantOf(p.end, next.isAllDay);
  if (next.endMs < next.startMs)
    throw new GraphError(400, 'ErrorInvalidRequest', 'The end of the event must not be before its start.');
  if (next.isAllDay && (next.startMs % DAY_MS !== 0 || next.endMs % DAY_MS !== 0 || next.endMs === next.startMs)) {
    throw new GraphError(
      400,
      'ErrorPropertyValidationFailure',
      'An all-day event must start and end at midnight and last at least a day.',
    );
  }
  if (p.location !== undefined) {
    next.location =
      p.location && p.location.displayName
        ? {
            displayName: p.location.displayName,
            street: '',
            city: '',
            state: '',
            countryOrRegion: '',
            postalCode: '',
            latitude: 0,
            longitude: 0,
          }
        : null;
  }
  if (p.attendees)
    next.attendees = p.attendees.map((a) => ({
      type: a.type,
      response: 'none',
      person: { name: a.emailAddress.name ?? a.emailAddress.address, address: a.emailAddress.address },
    }));
  for (const k of [
    'importance',
    'showAs',
    'sensitivity',
    'categories',
    'isOnlineMeeting',
    'reminderMinutesBeforeStart',
  ] as const) {
    if (p[k] !== undefined) Object.assign(next, { [k]: p[k] });
  }
  return next;
}

/** A series master starts at its first occurrence (same wall-clock time). */
function anchorSeries(f: EventFields): EventFields {
  const rec = f.recurrence;
  if (!rec) return f;
  const zone = zoneOf(rec.range.recurrenceTimeZone || f.timeZone);
  const wallStart = f.isAllDay ? f.startMs : utcToLocal(zone.iana, f.startMs);
  const startDay = dayNumber(wallStart);
  const rangeStart = parseDateOnly(rec.range.startDate) ?? startDay;
  const first = expandDays(rec, rangeStart, rangeStart + 3660)[0];
  if (first === undefined) throw badRequest('The recurrence pattern has no occurrences.', 'ErrorInvalidRequest');
  const shift = (first - startDay) * DAY_MS;
  const recurrence = {
    ...rec,
    range: { ...rec.range, recurrenceTimeZone: rec.range.recurrenceTimeZone || f.timeZone, startDate: dateOnly(first) },
  };
  const startMs = f.isAllDay ? f.startMs + shift : localToUtc(zone.iana, wallStart + shift);
  return { ...f, recurrence, startMs, endMs: startMs + (f.endMs - f.startMs) };
}

export function createEvent(ctx: Ctx): GraphResponse {
  requireScope(ctx, CALENDAR_WRITE);
  const body = parseBody(ctx, eventCreate);
  const me = { name: ctx.user.user.displayName, address: ctx.user.user.email };
  const blank: EventFields = {
    subject: '',
    bodyHtml: '',
    startMs: 0,
    endMs: 0,
    timeZone: zoneOf(body.start.timeZone).name,
    isAllDay: false,
    isCancelled: false,
    location: null,
    attendees: [],
    organizer: me,
    isOrganizer: true,
    importance: 'normal',
    showAs: 'busy',
    sensitivity: 'normal',
    categories: [],
    isOnlineMeeting: false,
    reminderMinutesBeforeStart: 15,
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    recurrence: body.recurrence ?? null,
  };
  const fields = anchorSeries(applyPatch(blank, body));
  const id = newEventId(ctx.user);
  const type = fields.recurrence ? 'seriesMaster' : 'singleInstance';
  const rec = buildEvent(
    {
      id,
      type,
      version: 1,
      createdMs: ctx.nowMs,
      modifiedMs: ctx.nowMs,
      seriesMasterId: null,
      originalDay: null,
      iCalUId: newICalUId(id),
    },
    fields,
  );
  let change;
  if (type === 'seriesMaster') {
    const series: Series = {
      master: rec,
      exceptions: new Map(),
      cancelled: new Set(),
      occurrenceCache: new Map(),
      occurrenceCacheKey: '',
    };
    ctx.user.calendar.series.set(id, series);
    ctx.user.calendar.version++;
    change = { resource: 'event' as const, changeType: 'created' as const, id, changeKey: rec.changeKey };
  } else {
    change = addSingle(ctx.user, rec);
  }
  ctx.services.publish(ctx.user, [change]);
  const zone = ctx.zoneApplied ? ctx.zone : zoneOf(body.start.timeZone);
  return ok(
    ctx,
    {
      '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/events/$entity`,
      ...renderEvent(rec, zone, 'entity'),
    },
    { status: 201 },
  );
}

export function updateEvent(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, CALENDAR_WRITE);
  const loc = locateEvent(ctx.user, id);
  if (!loc) throw itemNotFound();
  const patch = parseBody(ctx, eventPatch);
  if (patch.recurrence !== undefined && loc.kind !== 'master')
    throw badRequest('Only a series master can have a recurrence.', 'ErrorInvalidRequest');
  const { item, change } = editEvent(
    ctx.user,
    loc,
    (f) => {
      const next = applyPatch(f, patch);
      return loc.kind === 'master' ? anchorSeries({ ...next, recurrence: patch.recurrence ?? next.recurrence }) : next;
    },
    ctx.nowMs,
  );
  ctx.services.publish(ctx.user, [change]);
  return ok(ctx, {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/events/$entity`,
    ...renderEvent(item, ctx.zone, 'entity'),
  });
}

export function removeEvent(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, CALENDAR_WRITE);
  const loc = locateEvent(ctx.user, id);
  if (!loc) throw itemNotFound();
  ctx.services.publish(ctx.user, [deleteEvent(ctx.user, loc)]);
  return ok(ctx, undefined, { status: 204 });
}
