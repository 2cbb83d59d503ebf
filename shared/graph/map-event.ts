import { createHash } from 'node:crypto';
import { MAX_DESCRIPTION_CHARS, SHOW_AS, type ShowAs, type StoredEvent } from '../items/event.js';
import { itemId } from '../items/keys.js';
import { LINK_CAP } from '../items/people.js';
import { ianaZoneOf } from '../time/zones.js';
import { htmlToText } from './html-text.js';
import type { GraphEvent } from './schemas.js';
import { toEpochMs } from './time.js';

// Storage caps (and the lengths they cut at) are the field table's: items/event.ts.
export { MAX_ATTENDEES_JSON_CHARS, MAX_DESCRIPTION_CHARS } from '../items/event.js';

/** Fields an occurrence may leave out in a delta and that then come from its series master. */
const INHERITED = [
  'subject',
  'body',
  'bodyPreview',
  'location',
  'attendees',
  'organizer',
  'originalStartTimeZone',
  'isAllDay',
  'createdDateTime',
  'lastModifiedDateTime',
  'showAs',
  'isOnlineMeeting',
  'onlineMeeting',
  'onlineMeetingUrl',
  'categories',
] as const;

export function withMasterFields(event: GraphEvent, master: GraphEvent | undefined): GraphEvent {
  if (!master) return event;
  const merged: Record<string, unknown> = { ...event };
  for (const key of INHERITED) if (merged[key] === undefined || merged[key] === null) merged[key] = master[key];
  // Outlook's web link opens an item by id: the occurrence's link is its master's with its own id.
  if (!event.webLink && master.webLink) merged.webLink = linkFor(master.webLink, event.id);
  return merged as GraphEvent;
}

function linkFor(masterLink: string, id: string): string | undefined {
  try {
    const url = new URL(masterLink);
    if (!url.searchParams.has('itemid')) return undefined;
    return masterLink.replace(/([?&]itemid=)[^&]*/, `$1${encodeURIComponent(id)}`);
  } catch {
    return undefined;
  }
}

const person = (e: { name?: string; address?: string } | undefined) => ({
  name: e?.name ?? '',
  email: (e?.address ?? '').toLowerCase(),
});

/** Maps a Graph event (start/end in UTC) to the stored record, or undefined when it has no usable times. */
export function mapEvent(integrationId: string, e: GraphEvent): StoredEvent | undefined {
  const startMs = e.start ? toEpochMs(e.start.dateTime, e.start.timeZone) : undefined;
  const endMs = e.end ? toEpochMs(e.end.dateTime, e.end.timeZone) : undefined;
  if (startMs === undefined || endMs === undefined || endMs < startMs) return undefined;

  const text = e.body?.content
    ? e.body.contentType?.toLowerCase() === 'text'
      ? e.body.content
      : htmlToText(e.body.content)
    : (e.bodyPreview ?? '');
  // The whole list: the field table stores what fits, `attendeesTotal` says how many there were.
  const attendees = (e.attendees ?? []).map((a) => ({
    ...person(a.emailAddress),
    type: a.type ?? 'required',
    response: a.status?.response ?? 'none',
  }));
  const organizer = e.organizer?.emailAddress ? person(e.organizer.emailAddress) : null;
  const timeZone = e.originalStartTimeZone ?? e.start?.timeZone ?? 'UTC';
  // Teams meetings leave onlineMeetingUrl null and give the link in onlineMeeting.joinUrl. A link
  // too long to store is dropped rather than cut: a cut link does not join anything.
  const joinUrl = e.onlineMeeting?.joinUrl || e.onlineMeetingUrl || null;
  return {
    id: itemId(integrationId, e.id),
    externalId: e.id,
    changeKey: e.changeKey ?? '',
    title: e.subject ?? '',
    description: text,
    descriptionTruncated: text.length > MAX_DESCRIPTION_CHARS,
    startMs,
    endMs,
    isAllDay: e.isAllDay ?? false,
    timeZone,
    timeZoneIana: ianaZoneOf(timeZone),
    location: e.location?.displayName ?? '',
    attendees,
    attendeesTotal: attendees.length,
    organizer,
    isCancelled: e.isCancelled ?? false,
    type: e.type ?? 'singleInstance',
    seriesMasterId: e.seriesMasterId ?? null,
    webLink: e.webLink ?? '',
    createdAt: instant(e.createdDateTime) ?? new Date(startMs).toISOString(),
    modifiedAt: instant(e.lastModifiedDateTime) ?? instant(e.createdDateTime) ?? new Date(startMs).toISOString(),
    showAs: showAsOf(e.showAs),
    isOnlineMeeting: e.isOnlineMeeting ?? false,
    onlineMeetingUrl: joinUrl !== null && joinUrl.length <= LINK_CAP ? joinUrl : null,
    categories: e.categories ?? [],
  };
}

const showAsOf = (value: string | undefined): ShowAs =>
  (SHOW_AS as readonly string[]).includes(value ?? '') ? (value as ShowAs) : 'unknown';

/** A Graph timestamp as ISO 8601 UTC, or undefined when it is missing or not a date. */
function instant(value: string | undefined): string | undefined {
  const ms = value ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A digest of everything stored: an item whose digest is unchanged is not written again. */
export function contentHash(record: object): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('base64url').slice(0, 22);
}
