import { z } from 'zod';
import type { GraphGet, GraphSend } from '../graph/client.js';

// Graph's /subscriptions (subscription-post-subscriptions.md, subscription-update.md,
// subscription-delete.md, subscription-list.md), answers parsed at the edge.

/** Outlook resources live at most 10,080 minutes; ask a little less, so a clock ahead of Graph's is not refused. */
export const MAX_LIFETIME_MS = 10_080 * 60_000;
const CLOCK_SLACK_MS = 10 * 60_000;
export const requestedExpiry = (now: Date): string =>
  new Date(now.getTime() + MAX_LIFETIME_MS - CLOCK_SLACK_MS).toISOString();

export const graphSubscriptionSchema = z.looseObject({
  id: z.string().min(1).max(128),
  resource: z.string().max(512).optional(),
  changeType: z.string().max(64).optional(),
  clientState: z.string().max(256).nullish(),
  notificationUrl: z.string().max(2048).nullish(),
  expirationDateTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an instant'),
});
export type GraphSubscription = z.infer<typeof graphSubscriptionSchema>;

const listSchema = z.looseObject({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
});

export interface NewSubscription {
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  clientState: string;
}

export async function createGraphSubscription(
  send: GraphSend,
  input: NewSubscription,
  now: Date,
): Promise<GraphSubscription> {
  const answer = await send('POST', '/subscriptions', {
    ...input,
    expirationDateTime: requestedExpiry(now),
    latestSupportedTlsVersion: 'v1_2',
  });
  return graphSubscriptionSchema.parse(answer);
}

/** Renews (and so reauthorizes) a subscription: Graph's expiry as it answers it. */
export async function renewGraphSubscription(send: GraphSend, id: string, now: Date): Promise<GraphSubscription> {
  const answer = await send('PATCH', `/subscriptions/${encodeURIComponent(id)}`, {
    expirationDateTime: requestedExpiry(now),
  });
  return graphSubscriptionSchema.parse(answer);
}

export async function deleteGraphSubscription(send: GraphSend, id: string): Promise<void> {
  await send('DELETE', `/subscriptions/${encodeURIComponent(id)}`);
}

/** The app's subscriptions for this user (at most 20 pages). */
export async function listGraphSubscriptions(get: GraphGet): Promise<GraphSubscription[]> {
  const out: GraphSubscription[] = [];
  let url: string | undefined = '/subscriptions';
  for (let page = 0; url && page < 20; page++) {
    const parsed = listSchema.parse(await get(url));
    for (const item of parsed.value) {
      const sub = graphSubscriptionSchema.safeParse(item);
      if (sub.success) out.push(sub.data);
    }
    url = parsed['@odata.nextLink'];
  }
  return out;
}

/** A low-cardinality reason for a failed Graph call: its status, else its code, else `network`. */
export function failureReason(error: unknown): string {
  const e = error as { statusCode?: unknown; code?: unknown };
  if (typeof e.statusCode === 'number' && e.statusCode > 0) return String(e.statusCode);
  if (typeof e.code === 'string' && /^[A-Za-z_]{1,40}$/.test(e.code)) return e.code;
  return 'network';
}

export const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
};
