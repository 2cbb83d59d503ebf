import { odata, type TableClient } from '@azure/data-tables';
import { EVENT_PREFIX, LONG_EVENT_MS, MESSAGE_PREFIX, prefixEnd } from '../../shared/items/keys.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The raw query for the rows calendar-events returns: one range scan of the partition's `e|` rows
 * that can overlap the window, the overlap checked server-side, the first page only, with one row more than the page as
 * the app reads (to know whether a next page exists). (The app also
 * scans the `l|` range of long events; the benchmark seeds none, so both return the same rows.)
 */
export async function rawEvents(
  table: TableClient,
  partition: string,
  window: { startMs: number; endMs: number },
  limit: number,
): Promise<string[]> {
  const filter = [
    odata`PartitionKey eq ${partition}`,
    odata`RowKey ge ${EVENT_PREFIX + iso(window.startMs - LONG_EVENT_MS)}`,
    odata`RowKey lt ${EVENT_PREFIX + iso(window.endMs)}`,
    odata`end gt ${iso(window.startMs)}`,
  ].join(' and ');
  const pages = table.listEntities<{ id: string }>({ queryOptions: { filter } }).byPage({ maxPageSize: limit + 1 });
  const first = await pages.next();
  return first.done ? [] : first.value.slice(0, limit).map((e) => e.id);
}

/** The raw search: the partition's messages newest first, in pages of 1000, matched on the folded `search` column. */
export async function rawSearch(table: TableClient, partition: string, term: string, limit: number): Promise<string[]> {
  const filter = odata`PartitionKey eq ${partition} and RowKey ge ${MESSAGE_PREFIX} and RowKey lt ${prefixEnd(MESSAGE_PREFIX)}`;
  const ids: string[] = [];
  for await (const page of table
    .listEntities<{ id: string; search: string }>({ queryOptions: { filter } })
    .byPage({ maxPageSize: 1000 })) {
    for (const row of page) {
      if (!row.search.includes(term)) continue;
      ids.push(row.id);
      if (ids.length > limit) return ids.slice(0, limit);
    }
  }
  return ids;
}

/**
 * The raw filtered events query: the same range scan over the window in pages of 1,000 (so the
 * filter costs no extra round trips), each row's `showAs` and attendee JSON checked in memory.
 */
export async function rawFilteredEvents(
  table: TableClient,
  partition: string,
  window: { startMs: number; endMs: number },
  filter: { attendee: string; showAs: string },
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of rangeScan(table, partition, window)) {
    for (const row of page) {
      if (row.showAs !== filter.showAs) continue;
      const attendees = JSON.parse(row.attendees) as { email: string }[];
      if (!attendees.some((a) => a.email === filter.attendee)) continue;
      ids.push(row.id);
      if (ids.length >= limit) return ids;
    }
  }
  return ids;
}

type RawEventRow = { id: string; start: string; end: string; showAs?: string; attendees: string; isCancelled: boolean };

/** The partition's `e|` rows overlapping the window, every column, in pages of 1,000. */
export function rangeScan(table: TableClient, partition: string, window: { startMs: number; endMs: number }) {
  const filter = [
    odata`PartitionKey eq ${partition}`,
    odata`RowKey ge ${EVENT_PREFIX + iso(window.startMs - LONG_EVENT_MS)}`,
    odata`RowKey lt ${EVENT_PREFIX + iso(window.endMs)}`,
    odata`end gt ${iso(window.startMs)}`,
  ].join(' and ');
  return table.listEntities<RawEventRow>({ queryOptions: { filter } }).byPage({ maxPageSize: 1000 });
}
