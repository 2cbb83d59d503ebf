import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { ok, parseBody, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { SIM_APPLICATION_ID } from './ids.js';
import { parseTarget, sameTarget } from './subscription-resources.js';
import { loopbackUrl, validateEndpoint } from './subscription-validation.js';
import { newCounters, subscriptionJson, type Subscription } from './subscriptions.js';
import { parseInstant } from './time.js';

// POST /subscriptions (subscription-post-subscriptions.md): the request checked, both endpoints
// validated with the handshake, then 201. Duplicates (same app, user, changeType and resource) are a
// 409 naming the existing subscription, as the docs say.

/** Outlook resources allow at most 10,080 minutes (7 days). */
const MAX_EXPIRATION_MS = 10_080 * 60_000;
/** Graph moves any expiry under 45 minutes from now to 45 minutes from now (subscription.md). */
const MIN_EXPIRATION_MS = 45 * 60_000;

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

export const appIdOf = (ctx: Ctx): string => ctx.req.clientId ?? SIM_APPLICATION_ID;

function parseChangeTypes(text: string): string[] {
  const types = text.split(',').map((s) => s.trim());
  if (types.some((t) => !['created', 'updated', 'deleted'].includes(t)) || new Set(types).size !== types.length) {
    throw invalid(`Invalid changeType '${text}': use created, updated and/or deleted.`);
  }
  return types;
}

/** A requested expiry: in the future, at most 10,080 minutes away, at least 45 minutes (raised). */
export function parseExpiration(ctx: Ctx, text: string): number {
  const ms = parseInstant(text);
  if (ms === undefined) throw invalid(`Invalid expirationDateTime '${text}'.`);
  if (ms <= ctx.nowMs) throw invalid('Subscription expiration must be in the future.');
  if (ms > ctx.nowMs + MAX_EXPIRATION_MS)
    throw invalid('Subscription expiration can only be 10080 minutes in the future.');
  return Math.max(ms, ctx.nowMs + MIN_EXPIRATION_MS);
}

function duplicateOf(ctx: Ctx, s: Pick<Subscription, 'target' | 'changeTypes'>): Subscription | undefined {
  const types = [...s.changeTypes].sort().join(',');
  return ctx.services.subscriptions
    .ofUser(ctx.user.user.id, ctx.nowMs)
    .find(
      (x) =>
        x.appId === appIdOf(ctx) && sameTarget(x.target, s.target) && [...x.changeTypes].sort().join(',') === types,
    );
}

const conflict = (existing: Subscription): GraphError =>
  new GraphError(
    409,
    'ExtensionError',
    'Operation: Create; Exception: [Status Code: Conflict; ' +
      `Reason: Subscription Id ${existing.id} already exists for the requested combination]`,
  );

export async function createSubscription(ctx: Ctx): Promise<GraphResponse> {
  const body = parseBody(ctx, createSchema);
  const changeTypes = parseChangeTypes(body.changeType);
  const expirationMs = parseExpiration(ctx, body.expirationDateTime);
  const target = parseTarget(ctx, body.resource);
  if (body.includeResourceData)
    throw invalid('includeResourceData needs an encryptionCertificate; rich notifications are not simulated.');
  loopbackUrl(body.notificationUrl);
  if (body.lifecycleNotificationUrl) loopbackUrl(body.lifecycleNotificationUrl);
  const before = duplicateOf(ctx, { target, changeTypes });
  if (before) throw conflict(before);
  const settings = ctx.services.settings.effective(ctx.user.user.id);
  await validateEndpoint(ctx, body.notificationUrl, settings);
  if (body.lifecycleNotificationUrl) await validateEndpoint(ctx, body.lifecycleNotificationUrl, settings);
  // Another request may have created the same subscription while the handshakes ran.
  const raced = duplicateOf(ctx, { target, changeTypes });
  if (raced) throw conflict(raced);
  const sub: Subscription = {
    id: ctx.services.subscriptions.newId(),
    userId: ctx.user.user.id,
    appId: appIdOf(ctx),
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
    createdMs: ctx.nowMs,
    renewals: [],
    reauthorizations: [],
    autoReauthForExpiryMs: null,
    counters: newCounters(),
  };
  ctx.services.subscriptions.byId.set(sub.id, sub);
  ctx.services.lifecycle.watch();
  return ok(
    ctx,
    { '@odata.context': `${ctx.root}/$metadata#subscriptions/$entity`, ...subscriptionJson(sub) },
    { status: 201 },
  );
}
