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
    address: { street: loc.street, city: loc.city, state: loc.state, countryOrRegion: loc.countryOrRegion, postalCode: loc.postalCode },
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
    onlineMeeting: f.isOnlineMeeting ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(idn.id.slice(6, 30))}` } : null,
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
  return buildEvent({
    id: prev.id, type: prev.type, version: prev.version + 1, createdMs: prev.createdMs, modifiedMs: nowMs,
    seriesMasterId: prev.seriesMasterId, originalDay: prev.originalDay, iCalUId: String(prev.json.iCalUId),
  }, fields);
}

export const newICalUId = (id: string): string => iCalUIdOf(id);

/** Properties `$select` accepts on events (the keys buildEvent writes). */
export const EVENT_PROPERTIES: readonly string[] = [
  'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'transactionId', 'originalStartTimeZone',
  'originalEndTimeZone', 'iCalUId', 'reminderMinutesBeforeStart', 'isReminderOn', 'hasAttachments', 'subject', 'bodyPreview',
  'importance', 'sensitivity', 'isAllDay', 'isCancelled', 'isOrganizer', 'responseRequested', 'seriesMasterId', 'showAs', 'type',
  'webLink', 'onlineMeetingUrl', 'isOnlineMeeting', 'onlineMeetingProvider', 'allowNewTimeProposals', 'isDraft', 'hideAttendees',
  'recurrence', 'responseStatus', 'body', 'start', 'end', 'location', 'locations', 'attendees', 'organizer', 'onlineMeeting',
];
