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
  /** The app the access token was issued to (`appid`/`azp`); subscriptions belong to it. */
  clientId?: string;
  /** When the access token was issued (`iat`, ms): the ground truth shows which token renewed a subscription. */
  tokenIssuedAtMs?: number;
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
  /** Mail writes: a PUT to an attachment upload URL (no bearer token: the URL carries its own). */
  upload(request: UploadPut): GraphResponse;
  /** Ground truth of sending: every message the user submitted (sendMail or a draft's send), oldest first. */
  submissions(email: string): unknown[];
  /** Change-notification knobs and subscription ground truth. */
  realtime: RealtimeControls;
}

/** Mirrors notificationSettingsSchema (dev/sim/graph/delivery-settings.ts): see dev/sim/graph/README.md. */
export interface NotificationSettingsInput {
  delay_ms?: number;
  jitter_ms?: number;
  duplicates?: number;
  batch_window_ms?: number;
  reorder?: boolean;
  retry_time_scale?: number;
  auto_reauthorization?: boolean;
  reauthorization_lead_s?: number;
  pause_after_reauthorization_s?: number;
  handshake_timeout_ms?: number;
  handshake_body?: string;
  throttling?: 'auto' | 'off' | 'slow' | 'drop';
}

export type LifecycleEventName = 'missed' | 'subscriptionRemoved' | 'reauthorizationRequired';

/** A subscription as the ground truth shows it (snake_case; the clientState only as its strength). */
export interface SubscriptionTruth {
  id: string;
  resource: string;
  change_type: string;
  notification_url: string;
  lifecycle_notification_url: string | null;
  expiration_date_time: string;
  application_id: string;
  created_at: string;
  client_state: { present: boolean; length: number; estimated_bits: number; at_least_128_bits: boolean };
  renewals: { at: string; token_issued_at: string | null }[];
  reauthorizations: { at: string; token_issued_at: string | null }[];
  /** Since when a reauthorizationRequired is unanswered, or null. */
  reauthorization_pending_since: string | null;
  deliveries: {
    attempted: number;
    succeeded: number;
    failed: number;
    dropped: number;
    notifications_delivered: number;
    lifecycle_delivered: Record<string, number>;
  };
  endpoint: { state: 'ok' | 'slow' | 'drop'; answers: number; slow_answers: number };
  /** Only for removed subscriptions (`include_removed`). */
  removed?: { at: string; reason: 'deleted' | 'expired' | 'subscriptionRemoved' };
}

/** The simulator's change-notification knobs and ground truth (the /_sim controls call these). */
export interface RealtimeControls {
  /** The settings stored at one level: global (no email) or one user's. */
  settings(email?: string): NotificationSettingsInput;
  /** What applies to a user: defaults, then global, then the user's own. */
  effectiveSettings(email: string): NotificationSettingsInput;
  setSettings(settings: NotificationSettingsInput, email?: string): void;
  clearSettings(email?: string): void;
  subscriptions(email: string, includeRemoved?: boolean): SubscriptionTruth[];
  /** Sends a lifecycle event to one live subscription, or to all of the user's when no id is given. */
  lifecycle(email: string, event: LifecycleEventName, subscriptionId?: string): { id: string; sent: boolean }[];
  /** Moves a live subscription's expiry to now + seconds (≤ 0 expires it at once); undefined if unknown. */
  setExpiry(email: string, subscriptionId: string, inSeconds: number): SubscriptionTruth | undefined;
}

/** A request to an upload URL (`/api/v2.0/…/AttachmentSessions('…')?authtoken=…`). */
export interface UploadPut {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  body: Buffer;
}
