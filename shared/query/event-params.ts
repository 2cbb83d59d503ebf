import { z } from 'zod';
import { SHOW_AS } from '../items/event.js';
import type { FieldError } from '../errors.js';
import type { Window } from '../paging/cursor.js';
import type { Provider } from '../providers.js';
import {
  always,
  cursorParam,
  DAY_MS,
  instantParam,
  integrationIdParam,
  limitParam,
  numberOrUndefined,
  providerParam,
  providersWith,
  strictQuery,
} from './params.js';
import { booleanParam, calendarIdsParam, emailParam, searchParam, searchTerm } from './filter-params.js';

export const EVENT_TYPES = ['singleInstance', 'occurrence', 'exception', 'seriesMaster'] as const;

export const MAX_WINDOW_MS = 366 * DAY_MS;
export const DEFAULT_WINDOW_DAYS = 30;

// A half-open window [startMs, endMs): events overlap it when start < endMs and end > startMs.
export type { Window };

/**
 * The query string of GET /api/integrations/calendar-events. `now` places an omitted bound; with a
 * cursor the window comes from the cursor instead, so only bounds the caller gave are checked.
 */
export function eventQuerySchema(now: number) {
  return strictQuery({
    provider: providerParam('calendar'),
    start_date: instantParam.optional(),
    end_date: instantParam.optional(),
    integration_id: integrationIdParam.optional(),
    search: searchParam,
    attendee: emailParam,
    organizer: emailParam,
    calendar_id: calendarIdsParam,
    show_as: z.enum(SHOW_AS, { error: `must be one of ${SHOW_AS.join(', ')}` }).optional(),
    is_cancelled: booleanParam,
    type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }).optional(),
    is_online_meeting: booleanParam,
    limit: limitParam,
    cursor: cursorParam.optional(),
  }).superRefine((q, ctx) => checkWindow(q, ctx, now, MAX_WINDOW_MS), always);
}
export type EventQuery = z.infer<ReturnType<typeof eventQuerySchema>>;

/**
 * The window rules of calendar-events (and free-busy, with its own longest window): checked only
 * for bounds that parsed, and with a cursor only when both bounds are given (the window is the
 * cursor's otherwise).
 */
export function checkWindow(
  q: { start_date?: unknown; end_date?: unknown; cursor?: unknown },
  ctx: z.RefinementCtx,
  now: number,
  maxMs: number,
): void {
  const start = numberOrUndefined(q.start_date);
  const end = numberOrUndefined(q.end_date);
  if ((q.start_date !== undefined && start === undefined) || (q.end_date !== undefined && end === undefined)) return;
  if (q.cursor !== undefined && (start === undefined || end === undefined)) return;
  const problem = windowProblem(windowOf(start, end, now), start !== undefined, end !== undefined, maxMs);
  if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
}

/**
 * What is wrong with a window, blamed on a bound the caller gave: when end_date was left to its
 * default, an impossible window is the fault of start_date, and the message says what the default was.
 */
function windowProblem(w: Window, startGiven: boolean, endGiven: boolean, maxMs: number): FieldError | undefined {
  const field = endGiven || !startGiven ? 'end_date' : 'start_date';
  const defaults =
    endGiven && startGiven ? '' : ` (an omitted start_date/end_date is ${DEFAULT_WINDOW_DAYS} days before/after now)`;
  if (w.endMs <= w.startMs) {
    return {
      field,
      message: (field === 'end_date' ? 'must be after start_date' : 'must be before end_date') + defaults,
    };
  }
  if (w.endMs - w.startMs > maxMs) {
    return { field, message: `the window may span at most ${maxMs / DAY_MS} days${defaults}` };
  }
  return undefined;
}

export const windowOf = (start: number | undefined, end: number | undefined, now: number): Window => ({
  startMs: start ?? now - DEFAULT_WINDOW_DAYS * DAY_MS,
  endMs: end ?? now + DEFAULT_WINDOW_DAYS * DAY_MS,
});

/** The window of a first page (already checked by the schema): the bounds given, else now ∓ 30 days. */
export const resolveWindow = (q: EventQuery, now: number): Window => windowOf(q.start_date, q.end_date, now);

/** Providers in scope: the one asked for, else every provider with calendar events. */
export const eventProviders = (q: EventQuery): Provider[] => (q.provider ? [q.provider] : providersWith('calendar'));

/**
 * The query a cursor is bound to: every parameter but `cursor` and `limit` (a client may change the
 * page size between pages), normalised so equivalent spellings (offsets, id case) bind alike. The
 * bounds are the ones the caller gave; a defaulted window is frozen inside the cursor instead.
 */
export const eventBinding = (q: EventQuery) => ({
  endpoint: 'calendar-events',
  providers: eventProviders(q),
  integration_id: q.integration_id?.toLowerCase() ?? null,
  start_date: q.start_date ?? null,
  end_date: q.end_date ?? null,
  search: searchTerm(q.search) ?? null,
  attendee: q.attendee ?? null,
  organizer: q.organizer ?? null,
  calendar_id: q.calendar_id ?? null,
  show_as: q.show_as ?? null,
  is_cancelled: q.is_cancelled ?? null,
  type: q.type ?? null,
  is_online_meeting: q.is_online_meeting ?? null,
});
