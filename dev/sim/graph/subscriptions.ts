import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { CALENDAR_READ, MAIL_READ, ok, parseBody, requireScope, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { guidOf, SIM_APPLICATION_ID } from './ids.js';
import { findFolder } from './message-json.js';
import { validateEndpoint } from './subscription-validation.js';
import { resolveMe, splitPath } from './paths.js';
import type { GraphObject } from './store.js';
import { instant7, parseInstant } from './time.js';

// /subscriptions (subscription-post-subscriptions.md). Creation validates the notificationUrl
// with Graph's handshake before answering 201. The simulator only ever calls loopback addresses.

export interface Subscription {
  id: string;
  userId: string;
  resource: string;
  target: { kind: 'event' } | { kind: 'message'; folderId: string | null };
  changeType: string;
  changeTypes: string[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationMs: number;
  latestSupportedTlsVersion: string;
  /** Created with `Prefer: IdType="ImmutableId"`: notifications carry immutable ids. */
  immutableIds: boolean;
}

export class SubscriptionStore {
  readonly byId = new Map<string, Subscription>();
  private counter = 0;
  private notificationSerial = 0;
  constructor(private readonly seed: number) {}
  newId(): string {
    return guidOf('subscription', this.seed, this.counter++);
  }
  nextNotificationSerial = (): number => this.notificationSerial++;
}

/** Outlook resources allow at most 10,080 minutes (7 days). */
const MAX_EXPIRATION_MS = 10_080 * 60_000;

const invalid = (message: string): GraphError => new GraphError(400, 'InvalidRequest', message);

const createSchema = z.object({
  changeType: z.string().min(1),
  notificationUrl: z.string().min(1),
  resource: z.string().min(1),
  expirationDateTime: z.string().min(1),
  clientState: z.string().max(128).nullish(),
  lifecycleNotificationUrl: z.string().nullish(),
  latestSupportedTlsVersion: z.enum(['v1_0', 'v1_1', 'v1_2', 'v1_3']).optional(),
  includeResourceData: z.boolean().optional(),
});

function parseChangeTypes(text: string): string[] {
  const types = text.split(',').map((s) => s.trim());
  if (types.some((t) => !['created', 'updated', 'deleted'].includes(t)) || new Set(types).size !== types.length) {
    throw invalid(`Invalid changeType '${text}': use created, updated and/or deleted.`);
  }
  return types;
}

function parseExpiration(ctx: Ctx, text: string): number {
  const ms = parseInstant(text);
  if (ms === undefined) throw invalid(`Invalid expirationDateTime '${text}'.`);
  if (ms <= ctx.nowMs) throw invalid('Subscription expiration must be in the future.');
  if (ms > ctx.nowMs + MAX_EXPIRATION_MS)
    throw invalid('Subscription expiration can only be 10080 minutes in the future.');
  return ms;
}

function parseTarget(ctx: Ctx, resource: string): Subscription['target'] {
  const segs = resolveMe(splitPath(resource), ctx.user, ctx.services.users);
  // Folder ids are case-sensitive; every other segment is compared case-insensitively.
  const lower = segs.map((s) => s.toLowerCase());
  const path = lower.join('/');
  if (path === 'me/events' || path === 'me/calendar/events') {
    requireScope(ctx, CALENDAR_READ, extensionDenied);
    return { kind: 'event' };
  }
  if (path === 'me/messages') {
    requireScope(ctx, MAIL_READ, extensionDenied);
    return { kind: 'message', folderId: null };
  }
  if (lower.length === 4 && lower[0] === 'me' && lower[1] === 'mailfolders' && lower[3] === 'messages') {
    requireScope(ctx, MAIL_READ, extensionDenied);
    const folder = findFolder(ctx.user, segs[2] ?? '');
    if (!folder) throw invalid(`Resource '${resource}' does not exist.`);
    return { kind: 'message', folderId: folder.id };
  }
  throw invalid(`Resource '${resource}' is not supported for subscriptions.`);
}

const extensionDenied = (): GraphError =>
  new GraphError(
    403,
    'ExtensionError',
    'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]',
  );

export function subscriptionJson(s: Subscription): GraphObject {
  return {
    id: s.id,
    resource: s.resource,
    applicationId: SIM_APPLICATION_ID,
    changeType: s.changeType,
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: instant7(s.expirationMs),
    creatorId: s.userId,
    includeResourceData: false,
    latestSupportedTlsVersion: s.latestSupportedTlsVersion,
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
    notificationContentType: 'application/json',
  };
}

export async function createSubscription(ctx: Ctx, store: SubscriptionStore): Promise<GraphResponse> {
  const body = parseBody(ctx, createSchema);
  const changeTypes = parseChangeTypes(body.changeType);
  const expirationMs = parseExpiration(ctx, body.expirationDateTime);
  const target = parseTarget(ctx, body.resource);
  if (body.includeResourceData)
    throw invalid('includeResourceData needs an encryptionCertificate; rich notifications are not simulated.');
  await validateEndpoint(ctx, body.notificationUrl);
  if (body.lifecycleNotificationUrl) await validateEndpoint(ctx, body.lifecycleNotificationUrl);
  const sub: Subscription = {
    id: store.newId(),
    userId: ctx.user.user.id,
    resource: body.resource,
    target,
    changeType: changeTypes.join(','),
    changeTypes,
    notificationUrl: body.notificationUrl,
    lifecycleNotificationUrl: body.lifecycleNotificationUrl ?? null,
    clientState: body.clientState ?? null,
    expirationMs,
    latestSupportedTlsVersion: body.latestSupportedTlsVersion ?? 'v1_2',
    immutableIds: ctx.prefer.immutableIds === true,
  };
  store.byId.set(sub.id, sub);
  return ok(
    ctx,
    { '@odata.context': `${ctx.root}/$metadata#subscriptions/$entity`, ...subscriptionJson(sub) },
    { status: 201 },
  );
}

function owned(ctx: Ctx, store: SubscriptionStore, id: string): Subscription {
  const sub = store.byId.get(id);
  if (!sub || sub.userId !== ctx.user.user.id || sub.expirationMs <= ctx.nowMs)
    throw new GraphError(404, 'ResourceNotFound', 'The object was not found.');
  return sub;
}

export function listSubscriptions(ctx: Ctx, store: SubscriptionStore): GraphResponse {
  const value = [...store.byId.values()]
    .filter((s) => s.userId === ctx.user.user.id && s.expirationMs > ctx.nowMs)
    .map(subscriptionJson);
  return ok(ctx, { '@odata.context': `${ctx.root}/$metadata#subscriptions`, value });
}

export function getSubscription(ctx: Ctx, store: SubscriptionStore, id: string): GraphResponse {
  return ok(ctx, {
    '@odata.context': `${ctx.root}/$metadata#subscriptions/$entity`,
    ...subscriptionJson(owned(ctx, store, id)),
  });
}

export function renewSubscription(ctx: Ctx, store: SubscriptionStore, id: string): GraphResponse {
  const sub = owned(ctx, store, id);
  const body = parseBody(ctx, z.object({ expirationDateTime: z.string().min(1) }));
  sub.expirationMs = parseExpiration(ctx, body.expirationDateTime);
  return ok(ctx, { '@odata.context': `${ctx.root}/$metadata#subscriptions/$entity`, ...subscriptionJson(sub) });
}

export function deleteSubscription(ctx: Ctx, store: SubscriptionStore, id: string): GraphResponse {
  store.byId.delete(owned(ctx, store, id).id);
  return ok(ctx, undefined, { status: 204 });
}
