import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { Caller } from '../identity/caller.js';
import type { Integration } from '../integrations/model.js';
import type { Logger } from '../log.js';
import { BUSY_STATUSES, mergeBusy, type BusyInterval, type BusyStatus } from './busy-intervals.js';
import { eventFilters } from './event-query.js';
import { freeBusyWindow, type FreeBusyQuery } from './free-busy-params.js';
import { integrationsInScope, type QueryPorts } from './scope.js';
import { scanRows } from './table-scan.js';

const wholeSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const nullish = <S extends z.ZodType>(s: S) => s.nullish().transform((v) => v ?? undefined);

/**
 * The columns free/busy reads of an event row (a projection: no text, no people). `myResponse` is
 * the caller's own response (wr-events' `my_response`); rows without it were not declined.
 */
const busyRowSchema = z.object({
  start: z.string().transform((s) => Date.parse(s)),
  end: z.string().transform((s) => Date.parse(s)),
  showAs: nullish(z.string()),
  isCancelled: nullish(z.boolean()),
  myResponse: nullish(z.string()),
});
const BUSY_COLUMNS = ['start', 'end', 'showAs', 'isCancelled', 'myResponse'];

/** Working hours as the mailbox settings give them (CONTRACTS.md §4: the integration's `workingHours`). */
export interface WorkingHours {
  days: string[];
  start: string;
  end: string;
  timeZone: string;
}

/**
 * The integration's stored working hours, or null when unknown. cal-sync stores them on the
 * integration row (`workingHours`); this is the one place free/busy reads them.
 */
export function workingHoursOf(integration: Integration): WorkingHours | null {
  const stored = (integration as Integration & { workingHours?: WorkingHours | null }).workingHours;
  return stored ?? null;
}

const isBusyStatus = (s: string | undefined): s is BusyStatus => (BUSY_STATUSES as readonly string[]).includes(s ?? '');

/**
 * GET /api/integrations/free-busy: the caller's busy time in the window, merged across the calendar
 * integrations in scope (and the calendars asked for), from the store alone. Free and unknown
 * time, cancelled events and events the caller declined do not count. Working hours are those of
 * the first integration in scope that has them (the one asked for, with `integration_id`).
 */
export async function freeBusy(d: QueryPorts, caller: Caller, q: FreeBusyQuery, log: Logger, now: number) {
  const window = freeBusyWindow(q, now);
  const scope = await integrationsInScope(d.integrations, caller, ['microsoft_calendar'], q.integration_id);
  const table = await d.storage.table('CalendarEvents');
  // At the table: not cancelled, a busy status (rows stored before showAs existed hold none and
  // read as unknown, which does not count either), the calendars asked for (cal-sync's column).
  const columns = [
    odata`isCancelled eq ${false}`,
    `(${BUSY_STATUSES.map((s) => odata`showAs eq ${s}`).join(' or ')})`,
    ...(q.calendar_id ? [`(${q.calendar_id.map((id) => odata`calendarId eq ${id}`).join(' or ')})`] : []),
  ];
  const intervals: BusyInterval[] = [];
  await Promise.all(
    scope.flatMap((integration) =>
      eventFilters(integration.id, window, undefined, columns).map(async (filter) => {
        const rows = scanRows({ table, filter, schema: busyRowSchema, pageSize: 1000, log, select: BUSY_COLUMNS });
        for await (const row of rows) {
          if (row.isCancelled || row.myResponse === 'declined' || !isBusyStatus(row.showAs)) continue;
          intervals.push({ startMs: row.start, endMs: row.end, status: row.showAs });
        }
      }),
    ),
  );
  const hours = scope.map(workingHoursOf).find((h) => h !== null) ?? null;
  return {
    busy: mergeBusy(intervals, window).map((i) => ({
      start: wholeSeconds(i.startMs),
      end: wholeSeconds(i.endMs),
      status: i.status,
    })),
    working_hours: hours && { days: hours.days, start: hours.start, end: hours.end, time_zone: hours.timeZone },
  };
}
