import { GraphError, type GraphGet } from '../graph/client.js';
import { contentHash, mapEvent, withMasterFields } from '../graph/map-event.js';
import { graphEventSchema, parseDeltaPage, type GraphEvent } from '../graph/schemas.js';
import { eventToRow } from '../items/event.js';
import { eventRowKey, itemId } from '../items/keys.js';
import type { StreamSpec } from './delta-stream.js';
import type { ItemUpsert } from './item-writer.js';

const DAY_MS = 24 * 3600 * 1000;
const TEXT_BODIES = 'outlook.body-content-type="text"';

/** The sync window, moved a whole UTC day at a time so a delta token serves a whole day. */
export function calendarWindow(now: Date, daysBack: number, daysAhead: number): { start: string; end: string } {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return {
    start: new Date(today - daysBack * DAY_MS).toISOString(),
    end: new Date(today + (daysAhead + 1) * DAY_MS).toISOString(),
  };
}

export function calendarStream(options: {
  integrationId: string;
  get: GraphGet;
  window: { start: string; end: string };
  pageSize: number;
  /** GRAPH_BASE_URL: links of pages elsewhere are refused. */
  graphBaseUrl: string;
}): StreamSpec<GraphEvent> {
  const { integrationId, get, window } = options;
  // Bodies as text where Graph gives them (documented for calendarView and GET event; event-delta.md is
  // silent): an HTML body that still comes is converted by graph/html-text.ts, linearly.
  const headers = { Prefer: `odata.maxpagesize=${options.pageSize}, outlook.timezone="UTC", ${TEXT_BODIES}` };
  const masters = new Map<string, Promise<GraphEvent | undefined>>();
  const master = (id: string) => {
    let found = masters.get(id);
    if (!found) {
      found = get(`/me/events/${encodeURIComponent(id)}`, { Prefer: `outlook.timezone="UTC", ${TEXT_BODIES}` }).then(
        (body) => graphEventSchema.parse(body),
        (error: unknown) => {
          if (error instanceof GraphError && error.statusCode === 404) return undefined;
          throw error;
        },
      );
      masters.set(id, found);
    }
    return found;
  };
  const lacksFields = (e: GraphEvent) =>
    e.subject === undefined ||
    e.body === undefined ||
    e.organizer === undefined ||
    e.attendees === undefined ||
    e.originalStartTimeZone === undefined;

  return {
    stream: 'calendar',
    initialUrl: `/me/calendarView/delta?startDateTime=${encodeURIComponent(window.start)}&endDateTime=${encodeURIComponent(window.end)}`,
    headers,
    window,
    parsePage: (body) => parseDeltaPage(body, graphEventSchema, options.graphBaseUrl),
    itemIdOf: (graphId) => itemId(integrationId, graphId),
    async toUpserts(events) {
      const out: ItemUpsert[] = [];
      for (const raw of events) {
        // Occurrences carry only what Graph gives them; the rest comes from their series master.
        const event =
          raw.seriesMasterId && lacksFields(raw) ? withMasterFields(raw, await master(raw.seriesMasterId)) : raw;
        const record = mapEvent(integrationId, event);
        if (!record) continue;
        const rowKey = eventRowKey(record.startMs, record.endMs, record.id);
        out.push({ id: record.id, rowKey, hash: contentHash(record), row: eventToRow(integrationId, rowKey, record) });
      }
      return out;
    },
  };
}
