/**
 * The seam between the simulator's HTTPS front (server, identity platform, controls, faults, stats:
 * dev/sim/*.ts, dev/sim/identity/) and its Microsoft 365 data and Graph v1.0 API (dev/sim/graph/).
 * The front authenticates the Graph caller, applies faults and counts requests; the Graph service
 * answers as Graph would, never knowing about HTTP sockets.
 */

/** A simulated Microsoft account. */
export interface SimUser {
  /** Object id (GUID): the `oid` claim and Graph's user id. */
  id: string;
  email: string;
  displayName: string;
  /** Tenant id (GUID): the `tid` claim. */
  tenantId: string;
}

export interface CalendarSeed {
  events?: number;
  recurring_series?: number;
  all_day?: number;
  max_attendees?: number;
  body_bytes?: number;
}

export interface MailboxSeed {
  messages?: number;
  unread_share?: number;
  folders?: string[];
}

/** An own calendar besides the default one (events seeded as `calendar` seeds the default's). */
export interface ExtraCalendarSeed {
  name: string;
  hex_color?: string;
  /** calendarView/delta on it answers 501 notSupported. */
  refuse_delta?: boolean;
  events?: number;
  recurring_series?: number;
  all_day?: number;
}

/** GET /me/mailboxSettings' time zone and working hours (names as Outlook stores them: Windows or IANA). */
export interface MailboxSettingsInput {
  time_zone?: string;
  working_hours?: { days: string[]; start: string; end: string; time_zone: string };
}

export interface CreateUserInput {
  email: string;
  display_name?: string;
  seed?: number;
  calendar?: CalendarSeed;
  /** Own calendars besides the default one. */
  calendars?: ExtraCalendarSeed[];
  mailbox_settings?: MailboxSettingsInput;
  mailbox?: MailboxSeed;
}

/** A calendar as the controls describe it (ground truth: its Graph id, its owner, who it is shared with). */
export interface SimCalendarInfo {
  id: string;
  name: string;
  is_default: boolean;
  refuse_delta: boolean;
  owner: string;
  shares: { with: string; role: 'read' | 'write'; accepted: boolean }[];
}

export interface CalendarShareInput {
  /** The e-mail of the user the calendar is shared with. */
  with: string;
  role: 'read' | 'write';
  /** The sharee accepted the invitation in Outlook (only then can Graph read it). */
  accepted: boolean;
}

export interface ChangesInput {
  calendar?: { add?: number; update?: number; delete?: number; move_out?: number };
  mailbox?: { add?: number; update?: number; delete?: number; mark_read?: number };
}

/** What a change request did, by Graph id. */
export interface ChangeReport {
  calendar: { added: string[]; updated: string[]; deleted: string[]; moved_out: string[] };
  mailbox: { added: string[]; updated: string[]; deleted: string[]; marked_read: string[] };
}

export interface GraphRequest {
  method: string;
  /** Path after the version segment, e.g. `/me/calendarView/delta`, `/$batch`, `/subscriptions/{id}`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** The authenticated caller (from the access token), and the scopes the token grants. */
  user: SimUser;
  scopes: string[];
  /** `https://localhost:PORT`: next and delta links are `${baseUrl}/v1.0/...`. */
  baseUrl: string;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialisable body; a string is sent as text/plain. */
  body?: unknown;
}

export interface GraphService {
  createUser(input: CreateUserInput): SimUser;
  findUser(emailOrId: string): SimUser | undefined;
  listUsers(): SimUser[];
  handle(request: GraphRequest): Promise<GraphResponse>;
  applyChanges(email: string, changes: ChangesInput): ChangeReport;
  /** Ground truth as Graph JSON: calendarView items (occurrences expanded) overlapping [start, end), of the default calendar or the one named. */
  calendarTruth(email: string, start: Date, end: Date, calendarId?: string): unknown[];
  /** The user's own calendars (undefined for an unknown user). */
  listCalendars(email: string): SimCalendarInfo[] | undefined;
  /** Adds an own calendar with seeded events. */
  createCalendar(email: string, input: ExtraCalendarSeed): SimCalendarInfo;
  /** Changes a calendar's knobs; undefined for an unknown calendar. */
  updateCalendar(
    email: string,
    calendarId: string,
    input: { refuse_delta?: boolean; name?: string },
  ): SimCalendarInfo | undefined;
  /** Deletes a calendar with its events and its shares; false for an unknown or the default calendar. */
  deleteCalendar(email: string, calendarId: string): boolean;
  /** Shares (or re-shares, or accepts) a calendar with another user; false for an unknown calendar or user. */
  shareCalendar(email: string, calendarId: string, input: CalendarShareInput): boolean;
  /** Scripted changes in one calendar (applyChanges works on the default one); undefined for an unknown calendar. */
  applyCalendarChanges(email: string, calendarId: string, changes: ChangesInput): ChangeReport | undefined;
  setMailboxSettings(email: string, input: MailboxSettingsInput): void;
  /** Ground truth as Graph JSON: every message of every folder, with `parentFolderId`. */
  mailboxTruth(email: string): unknown[];
  /** Every delta token issued so far answers as expired (410 / syncStateNotFound) from now on. */
  expireDeltaTokens(): void;
}
