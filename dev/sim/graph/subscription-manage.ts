import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { ok, parseBody, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { appIdOf, parseExpiration } from './subscription-create.js';
import { requireTargetScope } from './subscription-resources.js';
import { validateEndpoint } from './subscription-validation.js';
import { subscriptionJson, type Subscription } from './subscriptions.js';

// GET/PATCH/DELETE /subscriptions/{id}, GET /subscriptions and POST /subscriptions/{id}/reauthorize
// (subscription-get/-list/-update/-delete/-reauthorize.md). A subscription is the creating app's
// for that user: another app's, another user's, an expired or a deleted one is a 404 alike.

const notFound = (): GraphError => new GraphError(404, 'ResourceNotFound', 'The object was not found.');

function owned(ctx: Ctx, id: string): Subscription {
  const sub = ctx.services.subscriptions.ofUser(ctx.user.user.id, ctx.nowMs).find((s) => s.id === id);
  if (!sub || sub.appId !== appIdOf(ctx)) throw notFound();
  requireTargetScope(ctx, sub.target);
  return sub;
}

const entity = (ctx: Ctx, sub: Subscription): Record<string, unknown> => ({
  '@odata.context': `${ctx.root}/$metadata#subscriptions/$entity`,
  ...subscriptionJson(sub),
});

export function listSubscriptions(ctx: Ctx): GraphResponse {
  const value = ctx.services.subscriptions
    .ofUser(ctx.user.user.id, ctx.nowMs)
    .filter((s) => s.appId === appIdOf(ctx))
    .map(subscriptionJson);
  return ok(ctx, { '@odata.context': `${ctx.root}/$metadata#subscriptions`, value });
}

export function getSubscription(ctx: Ctx, id: string): GraphResponse {
  return ok(ctx, entity(ctx, owned(ctx, id)));
}

const updateSchema = z
  .object({ expirationDateTime: z.string().min(1).optional(), notificationUrl: z.string().min(1).optional() })
  .refine((b) => b.expirationDateTime !== undefined || b.notificationUrl !== undefined, {
    message: 'expirationDateTime or notificationUrl is required',
  });

/** Renewal (a new expiry; it also reauthorizes) and/or a new notificationUrl, validated first. */
export async function renewSubscription(ctx: Ctx, id: string): Promise<GraphResponse> {
  const sub = owned(ctx, id);
  const body = parseBody(ctx, updateSchema);
  const expirationMs = body.expirationDateTime ? parseExpiration(ctx, body.expirationDateTime) : undefined;
  if (body.notificationUrl && body.notificationUrl !== sub.notificationUrl) {
    await validateEndpoint(ctx, body.notificationUrl, ctx.services.settings.effective(ctx.user.user.id));
    sub.notificationUrl = body.notificationUrl;
  }
  if (expirationMs !== undefined) {
    sub.expirationMs = expirationMs;
    sub.renewals.push({ atMs: ctx.nowMs, tokenIssuedAtMs: ctx.req.tokenIssuedAtMs ?? null });
  }
  return ok(ctx, entity(ctx, sub));
}

export function deleteSubscription(ctx: Ctx, id: string): GraphResponse {
  ctx.services.subscriptions.remove(owned(ctx, id).id, ctx.nowMs, 'deleted');
  return ok(ctx, undefined, { status: 204 });
}

/** Answers a reauthorizationRequired challenge without changing the expiry: 204. */
export function reauthorizeSubscription(ctx: Ctx, id: string): GraphResponse {
  const sub = owned(ctx, id);
  sub.reauthorizations.push({ atMs: ctx.nowMs, tokenIssuedAtMs: ctx.req.tokenIssuedAtMs ?? null });
  return ok(ctx, undefined, { status: 204 });
}
