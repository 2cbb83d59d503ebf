import { createHash } from 'node:crypto';

// Row-key schemes of the item tables (CalendarEvents, EmailMessages). PartitionKey is always the
// integration id, so every read of a caller's items is a range scan inside their own partitions.
//   item rows:    CalendarEvents `e|<start ISO, UTC, ms>|<item id>` — ascending = ordered by start, then id;
//                 events longer than LONG_EVENT_MS live under `l|` instead, so a window query scans
//                 `e|` from (window start − LONG_EVENT_MS) and all of `l|` before the window end, and
//                 needs no per-integration bookkeeping of the longest event
//                 EmailMessages  `m|<inverted received ms, 13 digits>|<item id>` — ascending = newest first
//   pointer rows: `p|<item id>` in both tables: the current item row key, changeKey and sync round,
//                 so an update or an `@removed` (which only carries Graph's id) finds its row.

/** Our id of a synced item: stable per integration and Graph id, safe in a row key, opaque. */
export function itemId(integrationId: string, graphId: string): string {
  return createHash('sha256').update(`${integrationId}|${graphId}`).digest('base64url').slice(0, 27);
}

export const EVENT_PREFIX = 'e|';
export const LONG_EVENT_PREFIX = 'l|';
export const LONG_EVENT_MS = 7 * 24 * 3600 * 1000;
export const MESSAGE_PREFIX = 'm|';
export const POINTER_PREFIX = 'p|';
/** The first key after every key with the prefix ('|' + 1 = '}'). */
export const prefixEnd = (prefix: string) => prefix.slice(0, -1) + '}';

export const pointerKey = (id: string) => `${POINTER_PREFIX}${id}`;

export function eventRowKey(startMs: number, endMs: number, id: string): string {
  const prefix = endMs - startMs > LONG_EVENT_MS ? LONG_EVENT_PREFIX : EVENT_PREFIX;
  return `${prefix}${new Date(startMs).toISOString()}|${id}`;
}

const INVERT_BASE = 9_999_999_999_999;
export const invertTime = (ms: number) => String(INVERT_BASE - ms).padStart(13, '0');

export function messageRowKey(receivedMs: number, id: string): string {
  return `${MESSAGE_PREFIX}${invertTime(receivedMs)}|${id}`;
}
