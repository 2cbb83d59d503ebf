import { changeKeyOf, etagOf, iCalUIdOf } from './ids.js';
import type { EventFields, EventRecord, GraphObject, LocationData } from './store.js';
import { previewOf } from './seed-text.js';
import { instant7, wallDateTime } from './time.js';

// Builds an event's Graph JSON (v1.0 event resource, rendered in UTC) from its fields. Property
// order follows what Graph sends.

export interface EventIdentity {
  id: string;
  type: 'singleInstance' | 'seriesMaster' | 'exception';
  version: number;
  createdMs: number;
  modifiedMs: number;
  seriesMasterId: string | null;
  originalDay: number | null;
  /** Occurrences and exceptions share the series' iCalUId. */
  iCalUId: string;
}

export function locationJson(loc: LocationData | null): GraphObject {
  if (!loc) return { displayName: '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} };
  return {
    displayName: loc.displayName,
    locationType: 'default',
    uniqueId: loc.displayName,
    uniqueIdType: 'private',
    address: {
      street: loc.street,
      city: loc.city,
      state: loc.state,
      countryOrRegion: loc.countryOrRegion,
      postalCode: loc.postalCode,
    },
    coordinates: { latitude: loc.latitude, longitude: loc.longitude },
  };
}

export const utcDateTime = (ms: number): GraphObject => ({ dateTime: wallDateTime(ms), timeZone: 'UTC' });

export function buildEvent(idn: EventIdentity, f: EventFields): EventRecord {
  const changeKey = changeKeyOf(idn.id, idn.version);
  const json: GraphObject = {
    '@odata.etag': etagOf(changeKey),
    id: idn.id,
    createdDateTime: instant7(idn.createdMs),
    lastModifiedDateTime: instant7(idn.modifiedMs),
    changeKey,
    categories: [...f.categories],
    transactionId: null,
    originalStartTimeZone: f.timeZone,
    originalEndTimeZone: f.timeZone,
    iCalUId: idn.iCalUId,
    reminderMinutesBeforeStart: f.reminderMinutesBeforeStart,
    isReminderOn: f.reminderMinutesBeforeStart > 0,
    hasAttachments: false,
    subject: f.subject,
    bodyPreview: previewOf(f.bodyHtml),
    importance: f.importance,
    sensitivity: f.sensitivity,
    isAllDay: f.isAllDay,
    isCancelled: f.isCancelled,
    isOrganizer: f.isOrganizer,
    responseRequested: true,
    seriesMasterId: idn.seriesMasterId,
    showAs: f.showAs,
    type: idn.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(idn.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: f.isOnlineMeeting,
    onlineMeetingProvider: f.isOnlineMeeting ? 'teamsForBusiness' : 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    recurrence: idn.type === 'seriesMaster' ? f.recurrence : null,
    responseStatus: { ...f.responseStatus },
    body: { contentType: 'html', content: f.bodyHtml },
    start: utcDateTime(f.startMs),
    end: utcDateTime(f.endMs),
    location: locationJson(f.location),
    locations: f.location ? [locationJson(f.location)] : [],
    attendees: f.attendees.map((a) => ({
      type: a.type,
      status: { response: a.response, time: a.response === 'none' ? '0001-01-01T00:00:00Z' : instant7(idn.createdMs) },
      emailAddress: { name: a.person.name, address: a.person.address },
    })),
    organizer: { emailAddress: { name: f.organizer.name, address: f.organizer.address } },
    onlineMeeting: f.isOnlineMeeting
      ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(idn.id.slice(6, 30))}` }
      : null,
  };
  return {
    id: idn.id,
    type: idn.type,
    startMs: f.startMs,
    endMs: f.endMs,
    isAllDay: f.isAllDay,
    changeKey,
    json,
    fields: f,
    version: idn.version,
    createdMs: idn.createdMs,
    modifiedMs: idn.modifiedMs,
    seriesMasterId: idn.seriesMasterId,
    originalDay: idn.originalDay,
  };
}

/** Rebuilds a record after its fields changed: new changeKey, lastModifiedDateTime = now. */
export function reviseEvent(prev: EventRecord, fields: EventFields, nowMs: number): EventRecord {
  return buildEvent(
    {
      id: prev.id,
      type: prev.type,
      version: prev.version + 1,
      createdMs: prev.createdMs,
      modifiedMs: nowMs,
      seriesMasterId: prev.seriesMasterId,
      originalDay: prev.originalDay,
      iCalUId: String(prev.json.iCalUId),
    },
    fields,
  );
}

export const newICalUId = (id: string): string => iCalUIdOf(id);

/** Properties `$select` accepts on events (the keys buildEvent writes). */
export const EVENT_PROPERTIES: readonly string[] = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'transactionId',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'iCalUId',
  'reminderMinutesBeforeStart',
  'isReminderOn',
  'hasAttachments',
  'subject',
  'bodyPreview',
  'importance',
  'sensitivity',
  'isAllDay',
  'isCancelled',
  'isOrganizer',
  'responseRequested',
  'seriesMasterId',
  'showAs',
  'type',
  'webLink',
  'onlineMeetingUrl',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'allowNewTimeProposals',
  'isDraft',
  'hideAttendees',
  'recurrence',
  'responseStatus',
  'body',
  'start',
  'end',
  'location',
  'locations',
  'attendees',
  'organizer',
  'onlineMeeting',
];

// `Prefer: outlook.body-content-type` (user-list-calendarview.md, event-get.md): "text" sends event
// bodies as text, "html" or no preference as HTML; a Preference-Applied header confirms the choice.
// calendarView, its delta and GET /me/events/{id} honour it here; Graph documents it for the first
// and the last (event-delta.md lists only odata.maxpagesize and the time zone).

export type BodyType = 'html' | 'text';

/** The body type a `Prefer` header asks for (several preferences, comma-separated, may share it). */
export function preferredBodyType(prefer: string | undefined): BodyType | undefined {
  const m = /(?:^|[,;])\s*outlook\.body-content-type\s*=\s*"?(text|html)"?\s*(?=$|[,;])/i.exec(prefer ?? '');
  return m ? (m[1]!.toLowerCase() as BodyType) : undefined;
}

/** Adds `outlook.body-content-type` to the answer's Preference-Applied when the caller asked for one. */
export function withBodyTypeApplied<R extends { headers?: Record<string, string> }>(res: R, type?: BodyType): R {
  if (!type) return res;
  const applied = [res.headers?.['Preference-Applied'], `outlook.body-content-type="${type}"`]
    .filter(Boolean)
    .join(', ');
  return { ...res, headers: { ...res.headers, 'Preference-Applied': applied } };
}

const textBodies = new WeakMap<GraphObject, string>();

/** An event's body as text (cached per event JSON: views share those objects). */
export function textBodyOf(json: GraphObject): GraphObject | undefined {
  const body = json.body as { contentType?: string; content?: string } | undefined;
  if (!body) return undefined;
  if (body.contentType !== 'html') return body;
  let text = textBodies.get(json);
  if (text === undefined) {
    text = htmlAsText(body.content ?? '');
    textBodies.set(json, text);
  }
  return { contentType: 'text', content: text };
}

const ENTITY_CHARS: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const SKIPPED = new Set(['head', 'style', 'script']);
const LINE_ENDS = new Set(['br', '/p', '/div', '/li', '/tr', '/h1', '/h2', '/h3', '/h4', '/h5', '/h6']);

/**
 * Roughly what Exchange sends for `outlook.body-content-type="text"`: tags dropped (head, style and script
 * with their content), a line end per paragraph or `<br>`, entities decoded, CRLF lines. One pass, so a
 * hostile body (`<` × 300,000) costs what its size does.
 */
export function htmlAsText(html: string): string {
  const lower = html.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  const parts: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const gt = lt === -1 ? -1 : html.indexOf('>', lt + 1);
    if (gt === -1) {
      parts.push(html.slice(i));
      break;
    }
    parts.push(html.slice(i, lt));
    const name = /^\/?[a-z][a-z0-9]*/.exec(lower.slice(lt + 1, Math.min(gt, lt + 12)))?.[0] ?? '';
    i = gt + 1;
    if (SKIPPED.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      const end = close === -1 ? -1 : html.indexOf('>', close);
      i = end === -1 ? html.length : end + 1;
    } else if (LINE_ENDS.has(name)) {
      parts.push('\n');
    }
  }
  const decoded = parts.join('').replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    const key = name.toLowerCase();
    if (name[0] !== '#') return Object.hasOwn(ENTITY_CHARS, key) ? ENTITY_CHARS[key]! : whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
  });
  return decoded
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\r\n')
    .replace(/(?:\r\n){3,}/g, '\r\n\r\n')
    .trim();
}
