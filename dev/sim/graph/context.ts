import type { z } from 'zod';
import type { GraphRequest, GraphResponse } from '../contract.js';
import type { DeliverySettings } from './delivery-settings.js';
import type { DeltaRegistry } from './delta-token.js';
import type { Lifecycle } from './lifecycle.js';
import { accessDenied, badRequest, GRAPH_JSON, type GraphError, type RequestIds } from './errors.js';
import type { ChangeRecord } from './notify.js';
import { parsePrefer, queryOf, type Preferences, type QueryMap } from './odata.js';
import type { MessageRecord, UserDirectory, UserState, ViewItem } from './store.js';
import type { SubscriptionStore } from './subscriptions.js';
import { resolveZone, UTC_ZONE, type Zone } from './time.js';

/** A removal inside a delta round. */
export interface Removed {
  removedId: string;
  /** Messages: the REST id the item had when last listed (`removedId` is its immutable id). */
  restId?: string;
}
export type CalendarEntry = ViewItem | Removed;
export type MailEntry = MessageRecord | Removed;
export const isRemoved = (e: object): e is Removed => 'removedId' in e;
/** What a mail delta round remembers of each message it listed. */
export interface MailSeen {
  changeKey: string;
  restId: string;
}

/** What every handler can reach. */
export interface Services {
  users: UserDirectory;
  calendarDeltas: DeltaRegistry<CalendarEntry>;
  mailDeltas: DeltaRegistry<MailEntry, MailSeen>;
  /** Queues change notifications to matching subscriptions; delivery happens in the background. */
  publish(user: UserState, changes: ChangeRecord[]): void;
  sendHttp: typeof fetch;
  subscriptions: SubscriptionStore;
  /** Notification knobs (/_sim/notifications), global and per user. */
  settings: DeliverySettings;
  /** Lifecycle notifications and the expiry watcher. */
  lifecycle: Lifecycle;
  /** Routes a sub-request of a $batch through the same router. */
  route(request: GraphRequest): Promise<GraphResponse>;
}

export interface Ctx {
  req: GraphRequest;
  user: UserState;
  query: QueryMap;
  prefer: Preferences;
  zone: Zone;
  /** The time zone preference was applied (reported in Preference-Applied). */
  zoneApplied: boolean;
  nowMs: number;
  /** `${baseUrl}/v1.0` */
  root: string;
  ids: RequestIds;
  services: Services;
}

export function createCtx(req: GraphRequest, user: UserState, services: Services, ids: RequestIds): Ctx {
  const prefer = parsePrefer(req.headers.prefer);
  const zone = prefer.timeZone ? resolveZone(prefer.timeZone) : undefined;
  return {
    req,
    user,
    query: queryOf(req.query),
    prefer,
    zone: zone ?? UTC_ZONE,
    zoneApplied: zone !== undefined,
    nowMs: ids.nowMs,
    root: `${req.baseUrl.replace(/\/+$/, '')}/v1.0`,
    ids,
    services,
  };
}

export interface OkOptions {
  status?: number;
  headers?: Record<string, string>;
  /** The answer is a page sized by `Prefer: odata.maxpagesize`. */
  paged?: boolean;
}

export function ok(ctx: Ctx, body: unknown, opts: OkOptions = {}): GraphResponse {
  const applied: string[] = [];
  if (opts.paged && ctx.prefer.maxPageSize !== undefined) applied.push(`odata.maxpagesize=${ctx.prefer.maxPageSize}`);
  if (ctx.zoneApplied) applied.push(`outlook.timezone="${ctx.zone.name}"`);
  const headers: Record<string, string> = {
    'request-id': ctx.ids.requestId,
    'client-request-id': ctx.ids.clientRequestId,
  };
  if (body !== undefined) headers['Content-Type'] = GRAPH_JSON;
  if (applied.length > 0) headers['Preference-Applied'] = applied.join(', ');
  Object.assign(headers, opts.headers);
  const status = opts.status ?? 200;
  return body === undefined ? { status, headers } : { status, headers, body };
}

const normaliseScope = (s: string): string => s.replace(/^https:\/\/graph\.microsoft\.com\//i, '').toLowerCase();

/** Passes when the token grants any of the scopes; otherwise Graph's 403. */
export function requireScope(ctx: Ctx, anyOf: readonly string[], deny: () => GraphError = accessDenied): void {
  const granted = new Set(ctx.req.scopes.map(normaliseScope));
  if (!anyOf.some((s) => granted.has(s.toLowerCase()))) throw deny();
}

export const CALENDAR_READ = [
  'Calendars.Read',
  'Calendars.ReadWrite',
  'Calendars.Read.Shared',
  'Calendars.ReadWrite.Shared',
];
export const CALENDAR_WRITE = ['Calendars.ReadWrite', 'Calendars.ReadWrite.Shared'];
export const MAIL_READ = ['Mail.Read', 'Mail.ReadWrite', 'Mail.ReadBasic', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared'];
export const MAIL_WRITE = ['Mail.ReadWrite', 'Mail.ReadWrite.Shared'];

/** Parses a JSON body with a zod schema; a missing or invalid body is a 400. */
export function parseBody<S extends z.ZodType>(ctx: Ctx, schema: S): z.infer<S> {
  if (ctx.req.body === undefined || ctx.req.body === null)
    throw badRequest('Empty Payload. JSON content expected.', 'ErrorInvalidRequest');
  const parsed = schema.safeParse(ctx.req.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `'${issue.path.join('.')}': ` : '';
    throw badRequest(`Invalid request body. ${where}${issue?.message ?? 'invalid value'}`, 'ErrorInvalidRequest');
  }
  return parsed.data;
}

/** Rejects OData options an endpoint does not support, as Graph does. */
export function rejectOptions(ctx: Ctx, names: readonly string[]): void {
  for (const n of names)
    if (ctx.query.has(n))
      throw badRequest(`The query parameter '${n}' is not supported with this request.`, 'ErrorInvalidUrlQuery');
}
