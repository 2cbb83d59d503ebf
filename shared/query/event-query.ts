import { odata } from '@azure/data-tables';
import type { Caller } from '../identity/caller.js';
import { eventRowSchema, eventView } from '../items/event.js';
import { EVENT_PREFIX, LONG_EVENT_MS, LONG_EVENT_PREFIX } from '../items/keys.js';
import type { Logger } from '../log.js';
import { createCursorCodec, cursorBinding } from '../paging/cursor.js';
import { eventConditions } from './event-filters.js';
import { eventBinding, eventProviders, resolveWindow, type EventQuery, type Window } from './event-params.js';
import { takePage } from './page.js';
import { integrationsInScope, type QueryPorts } from './scope.js';
import { keepUnskipped, parsedRows, scanMatching } from './table-scan.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The two range scans of one integration's partition that together hold every event overlapping
 * the window (keys.ts): `e|` rows (at most LONG_EVENT_MS long) can only overlap when they start
 * after window start − LONG_EVENT_MS; `l|` rows may start any time before the window end. Both
 * keep only events that end after the window starts (server-side, on the ISO `end` column).
 * `after` resumes behind a cursor's last item; `columns` are the query's table-side filters
 * (event-filters.ts). Every value passes through `odata`, which quotes it.
 */
export function eventFilters(partition: string, window: Window, after?: string, columns: string[] = []): string[] {
  const ranges: [string, string][] = [
    [EVENT_PREFIX + iso(window.startMs - LONG_EVENT_MS), EVENT_PREFIX + iso(window.endMs)],
    [LONG_EVENT_PREFIX, LONG_EVENT_PREFIX + iso(window.endMs)],
  ];
  return ranges.map(([from, to]) => {
    const prefix = from.slice(0, 2);
    const parts = [
      odata`PartitionKey eq ${partition}`,
      odata`RowKey ge ${from}`,
      odata`RowKey lt ${to}`,
      odata`end gt ${iso(window.startMs)}`,
    ];
    if (after !== undefined) parts.push(odata`RowKey gt ${prefix + after}`);
    return [...parts, ...columns].join(' and ');
  });
}

/** One page of GET /api/integrations/calendar-events for a parsed query. */
export async function calendarEventsPage(d: QueryPorts, caller: Caller, q: EventQuery, log: Logger, now: number) {
  const codec = createCursorCodec(d.keys);
  const binding = cursorBinding(caller.userKey, eventBinding(q));
  const position = q.cursor === undefined ? undefined : await codec.open(binding, q.cursor);
  const window = position?.window ?? resolveWindow(q, now);

  const { integrations } = d;
  const scope = await integrationsInScope(integrations, caller, eventProviders(q), q.integration_id);
  const table = await d.storage.table('CalendarEvents');
  const { columns, keep, selective, prefilter } = eventConditions(q);
  // When filters in memory drop most rows read, read big pages; otherwise just what the page needs.
  const pageSize = selective ? 1000 : Math.min(q.limit + 1, 1000);
  const streams = scope.flatMap((integration) =>
    eventFilters(integration.id, window, position?.after, columns).map((filter) =>
      scanMatching({ table, filter, schema: eventRowSchema, pageSize, log, prefilter }),
    ),
  );
  const page = await takePage(streams, q.limit, { keep: keepUnskipped(keep) });
  const rows = parsedRows(page.rows);
  const { nextAfter } = page;

  // Every row comes from a partition in scope; the fallback only satisfies the type.
  const providerOf = new Map(scope.map((i) => [i.id, i.provider]));
  return {
    results: rows.map((row) => eventView(row, providerOf.get(row.partitionKey) ?? 'microsoft_calendar')),
    next_cursor: nextAfter === undefined ? null : await codec.issue(binding, { after: nextAfter, window }),
  };
}
