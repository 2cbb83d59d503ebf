import { z } from 'zod';
import type { GraphService, SimUser } from '../contract.js';
import { notificationSettingsSchema } from '../graph/index.js';
import { json, type SimRequest, type SimResponse } from '../http.js';
import { notFound, parseBody, parseWith } from './respond.js';

// The change-notification controls (dev/sim/graph/README.md, "Change notifications"): delivery
// knobs globally and per user, a user's subscriptions as ground truth, lifecycle events on demand,
// and a subscription's expiry moved for renewal and expiry tests.

export type ControlHandler = (req: SimRequest, params: string[]) => SimResponse | Promise<SimResponse>;

const lifecycleSchema = z
  .object({
    event: z.enum(['missed', 'subscriptionRemoved', 'reauthorizationRequired']),
    subscription_id: z.string().min(1).max(200).optional(),
  })
  .strict();

const expirySchema = z
  .object({
    expires_in_s: z
      .number()
      .int()
      .min(-86_400)
      .max(10_080 * 60),
  })
  .strict();

const listQuerySchema = z.object({ include_removed: z.enum(['true', 'false']).optional() }).strict();

export function realtimeRoutes(
  graph: GraphService,
  user: (email: string) => SimUser,
): [string, RegExp, ControlHandler][] {
  const rt = graph.realtime;
  const userSettings = (email: string): SimResponse =>
    json(200, { own: rt.settings(email), effective: rt.effectiveSettings(email) });
  return [
    ['GET', /^\/_sim\/notifications$/, () => json(200, rt.settings())],
    [
      'POST',
      /^\/_sim\/notifications$/,
      (req) => {
        rt.setSettings(parseBody(req, notificationSettingsSchema));
        return json(200, rt.settings());
      },
    ],
    [
      'DELETE',
      /^\/_sim\/notifications$/,
      () => {
        rt.clearSettings();
        return { status: 204 };
      },
    ],
    ['GET', /^\/_sim\/users\/([^/]+)\/notifications$/, (_req, [email = '']) => userSettings(user(email).email)],
    [
      'POST',
      /^\/_sim\/users\/([^/]+)\/notifications$/,
      (req, [email = '']) => {
        const who = user(email).email;
        rt.setSettings(parseBody(req, notificationSettingsSchema), who);
        return userSettings(who);
      },
    ],
    [
      'DELETE',
      /^\/_sim\/users\/([^/]+)\/notifications$/,
      (_req, [email = '']) => {
        rt.clearSettings(user(email).email);
        return { status: 204 };
      },
    ],
    [
      'GET',
      /^\/_sim\/users\/([^/]+)\/subscriptions$/,
      (req, [email = '']) => {
        const q = parseWith(listQuerySchema, Object.fromEntries(req.url.searchParams));
        return json(200, { value: rt.subscriptions(user(email).email, q.include_removed === 'true') });
      },
    ],
    [
      'POST',
      /^\/_sim\/users\/([^/]+)\/subscriptions\/lifecycle$/,
      (req, [email = '']) => {
        const body = parseBody(req, lifecycleSchema);
        const sent = rt.lifecycle(user(email).email, body.event, body.subscription_id);
        if (body.subscription_id !== undefined && sent.length === 0) throw notFound('Subscription');
        return json(200, { event: body.event, value: sent });
      },
    ],
    [
      'POST',
      /^\/_sim\/users\/([^/]+)\/subscriptions\/([^/]+)\/expiry$/,
      (req, [email = '', id = '']) => {
        const body = parseBody(req, expirySchema);
        const sub = rt.setExpiry(user(email).email, id, body.expires_in_s);
        if (!sub) throw notFound('Subscription');
        return json(200, sub);
      },
    ],
  ];
}
