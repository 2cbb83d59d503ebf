import type { SimUser } from '../contract.js';
import type { Recurrence } from './recurrence.js';
import type { Rng } from './ids.js';
import type { MailState } from './mail-model.js';

export type {
  MailFolder,
  MailState,
  MessageFields,
  MessageRecord,
  SimAttachment,
  Submission,
  UploadSession,
} from './mail-model.js';
export { emptyMail } from './mail-model.js';

/** A Graph JSON object as sent on the wire. */
export type GraphObject = Record<string, unknown>;

export interface Person {
  name: string;
  address: string;
}

/** One entry of a calendar view: a single event, an occurrence or an exception, rendered in UTC. */
export interface ViewItem {
  readonly id: string;
  readonly type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  /** UTC instants; for all-day items the UTC midnights of their (floating) dates. */
  readonly startMs: number;
  readonly endMs: number;
  readonly isAllDay: boolean;
  readonly changeKey: string;
  readonly json: GraphObject;
}

export interface LocationData {
  displayName: string;
  street: string;
  city: string;
  state: string;
  countryOrRegion: string;
  postalCode: string;
  latitude: number;
  longitude: number;
}

export interface AttendeeData {
  type: 'required' | 'optional' | 'resource';
  response: 'none' | 'accepted' | 'declined' | 'tentativelyAccepted' | 'notResponded' | 'organizer';
  person: Person;
}

/** The editable source of an event; its Graph JSON is rebuilt from this on every change. */
export interface EventFields {
  subject: string;
  bodyHtml: string;
  startMs: number;
  endMs: number;
  timeZone: string;
  isAllDay: boolean;
  isCancelled: boolean;
  location: LocationData | null;
  attendees: AttendeeData[];
  organizer: Person;
  isOrganizer: boolean;
  importance: 'low' | 'normal' | 'high';
  showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  categories: string[];
  isOnlineMeeting: boolean;
  reminderMinutesBeforeStart: number;
  responseStatus: { response: string; time: string };
  recurrence: Recurrence | null;
}

/** Immutable: a change replaces the record. */
export interface EventRecord extends ViewItem {
  readonly type: 'singleInstance' | 'seriesMaster' | 'exception';
  readonly fields: EventFields;
  readonly version: number;
  readonly createdMs: number;
  readonly modifiedMs: number;
  readonly seriesMasterId: string | null;
  /** For exceptions: the local day (in the series' zone) of the occurrence it replaces. */
  readonly originalDay: number | null;
}

export interface Series {
  master: EventRecord;
  exceptions: Map<number, EventRecord>;
  cancelled: Set<number>;
  /** Occurrences rendered for the current master version, by local day. */
  occurrenceCache: Map<number, ViewItem>;
  occurrenceCacheKey: string;
}

export interface CalendarView {
  readonly items: readonly ViewItem[];
  readonly state: ReadonlyMap<string, string>;
}

export interface CalendarState {
  singles: Map<string, EventRecord>;
  series: Map<string, Series>;
  exceptionOwner: Map<string, string>;
  occurrences: Map<string, { masterId: string; day: number }>;
  version: number;
  views: Map<string, CalendarView>;
  viewsVersion: number;
  idCounter: number;
}

/** One of a user's calendars (the default one's state is also `UserState.calendar`). */
export interface SimCalendar {
  readonly id: string;
  name: string;
  hexColor: string;
  readonly isDefault: boolean;
  /** Knob: calendarView/delta on this calendar answers 501 notSupported (the fallback is calendarView). */
  refuseDelta: boolean;
  readonly state: CalendarState;
}

/** A calendar another user shared with this one; readable only once accepted (as in Outlook). */
export interface CalendarShare {
  ownerId: string;
  calendarId: string;
  role: 'read' | 'write';
  accepted: boolean;
}

/** GET /me/mailboxSettings' time zone and working hours (zone names as Outlook stores them, often Windows). */
export interface MailboxSettingsData {
  timeZone: string;
  workingHours: { daysOfWeek: string[]; startTime: string; endTime: string; timeZone: string };
}

export interface UserState {
  user: SimUser;
  givenName: string;
  surname: string;
  seed: number;
  /** The default calendar's events (the same object as its entry in `calendars`). */
  calendar: CalendarState;
  /** Own calendars by id, the default first. */
  calendars: Map<string, SimCalendar>;
  calendarCounter: number;
  /** Calendars other users shared with this one. */
  sharedWithMe: CalendarShare[];
  mailboxSettings: MailboxSettingsData;
  mail: MailState;
  /** Drives applyChanges so the same sequence of calls picks the same items. */
  changeRng: Rng;
}

export function emptyCalendar(): CalendarState {
  return {
    singles: new Map(),
    series: new Map(),
    exceptionOwner: new Map(),
    occurrences: new Map(),
    version: 0,
    views: new Map(),
    viewsVersion: 0,
    idCounter: 0,
  };
}

/** Users by id and by lower-cased e-mail. */
export class UserDirectory {
  private readonly byId = new Map<string, UserState>();
  private readonly byEmail = new Map<string, UserState>();

  add(state: UserState): void {
    this.byId.set(state.user.id, state);
    this.byEmail.set(state.user.email.toLowerCase(), state);
  }

  find(emailOrId: string): UserState | undefined {
    return this.byId.get(emailOrId) ?? this.byEmail.get(emailOrId.toLowerCase());
  }

  all(): UserState[] {
    return [...this.byId.values()];
  }
}
