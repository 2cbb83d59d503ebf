import { odata } from '@azure/data-tables';
import type { eventRowSchema } from '../items/event.js';
import type { z } from 'zod';
import type { EventQuery } from './event-params.js';
import { searchTerm } from './filter-params.js';
import { allOf, mayHoldAddress, searchHolds, type Prefilter } from './raw-match.js';

type EventRow = z.infer<typeof eventRowSchema>;

/** The query's filters: OData conditions Table Storage applies, and a test of each row read. */
export interface Conditions<R> {
  columns: string[];
  keep: ((row: R) => boolean) | undefined;
  /** Whether `keep` drops rows the table-side conditions let through (then pages are read big). */
  selective: boolean;
  /** A test of the raw entity that turns down, unparsed, rows `keep` would drop. */
  prefilter?: Prefilter;
}

/**
 * The event filters of a query. A column every row has carries its filter at the table
 * (is_cancelled, type, calendar_id); a column added later (showAs, isOnlineMeeting) only for values
 * older rows cannot have, since those rows read as the fallback without holding it; search and
 * the people filters look into text and JSON columns and run on the rows read. Every condition is
 * also tested in memory, so the table-side ones only save reading rows, never change the answer.
 */
export function eventConditions(q: EventQuery): Conditions<EventRow> {
  const columns: string[] = [];
  const tests: ((row: EventRow) => boolean)[] = [];
  if (q.is_cancelled !== undefined) {
    columns.push(odata`isCancelled eq ${q.is_cancelled}`);
    tests.push((row) => row.isCancelled === q.is_cancelled);
  }
  if (q.type !== undefined) {
    columns.push(odata`type eq ${q.type}`);
    tests.push((row) => row.type === q.type);
  }
  if (q.calendar_id !== undefined) {
    // cal-sync's `calendarId` column (CONTRACTS.md §3), written on every event row.
    columns.push(`(${q.calendar_id.map((id) => odata`calendarId eq ${id}`).join(' or ')})`);
  }
  let selective = false;
  if (q.show_as !== undefined) {
    if (q.show_as !== 'unknown') columns.push(odata`showAs eq ${q.show_as}`);
    else selective = true;
    tests.push((row) => row.showAs === q.show_as);
  }
  if (q.is_online_meeting !== undefined) {
    if (q.is_online_meeting) columns.push(odata`isOnlineMeeting eq ${true}`);
    else selective = true;
    tests.push((row) => row.isOnlineMeeting === q.is_online_meeting);
  }
  const term = searchTerm(q.search);
  if (term !== undefined) tests.push((row) => row.search.includes(term));
  const { attendee, organizer } = q;
  if (attendee !== undefined) tests.push((row) => row.attendees.some((a) => a.email.toLowerCase() === attendee));
  if (organizer !== undefined) tests.push((row) => row.organizer?.email.toLowerCase() === organizer);
  selective ||= term !== undefined || attendee !== undefined || organizer !== undefined;
  const keep = tests.length === 0 ? undefined : (row: EventRow) => tests.every((t) => t(row));
  const prefilter = allOf([
    term === undefined ? undefined : searchHolds(term),
    attendee === undefined ? undefined : mayHoldAddress('attendees', attendee),
    organizer === undefined ? undefined : mayHoldAddress('organizer', organizer),
  ]);
  return { columns, keep, selective, prefilter };
}
