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

export interface CreateUserInput {
  email: string;
  display_name?: string;
  seed?: number;
  calendar?: CalendarSeed;
  mailbox?: MailboxSeed;
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
  /** Ground truth as Graph JSON: calendarView items (occurrences expanded) overlapping [start, end). */
  calendarTruth(email: string, start: Date, end: Date): unknown[];
  /** Ground truth as Graph JSON: every message of every folder, with `parentFolderId`. */
  mailboxTruth(email: string): unknown[];
  /** Every delta token issued so far answers as expired (410 / syncStateNotFound) from now on. */
  expireDeltaTokens(): void;
  /** Mail writes: a PUT to an attachment upload URL (no bearer token: the URL carries its own). */
  upload(request: UploadPut): GraphResponse;
  /** Ground truth of sending: every message the user submitted (sendMail or a draft's send), oldest first. */
  submissions(email: string): unknown[];
}

/** A request to an upload URL (`/api/v2.0/…/AttachmentSessions('…')?authtoken=…`). */
export interface UploadPut {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  body: Buffer;
}
