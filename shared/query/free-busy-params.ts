import type { z } from 'zod';
import { checkWindow, windowOf, type Window } from './event-params.js';
import { calendarIdsParam } from './filter-params.js';
import { always, DAY_MS, instantParam, integrationIdParam, strictQuery } from './params.js';

export const MAX_FREE_BUSY_MS = 62 * DAY_MS;

/**
 * The query string of GET /api/integrations/free-busy: the window rules of calendar-events (an
 * omitted bound is 30 days before/after `now`), at most 62 days.
 */
export function freeBusyQuerySchema(now: number) {
  return strictQuery({
    start_date: instantParam.optional(),
    end_date: instantParam.optional(),
    integration_id: integrationIdParam.optional(),
    calendar_id: calendarIdsParam,
  }).superRefine((q, ctx) => checkWindow(q, ctx, now, MAX_FREE_BUSY_MS), always);
}
export type FreeBusyQuery = z.infer<ReturnType<typeof freeBusyQuerySchema>>;

export const freeBusyWindow = (q: FreeBusyQuery, now: number): Window => windowOf(q.start_date, q.end_date, now);
