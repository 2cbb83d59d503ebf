import type { QueueClient } from '@azure/storage-queue';
import type { Logger } from '../log.js';
import type { SubscriptionRow, SubscriptionRows } from '../storage/subscription-rows.js';
import { recordNotificationsDropped, recordNotificationsReceived, type DropReason } from '../telemetry/metrics.js';
import { clientStateMatches } from './client-state.js';
import {
  encodeNotifications,
  notificationItemSchema,
  type NotificationKind,
  type QueuedNotifications,
} from './notification-schemas.js';

/** What the endpoints need: the subscription rows (point reads) and the notifications queue. */
export interface ReceivePorts {
  rows: Pick<SubscriptionRows, 'get'>;
  notifications: Pick<QueueClient, 'sendMessage'>;
  log: Logger;
}

// Subscription rows read by this worker, for a short while: a burst of notifications (Graph sends
// about three per change) costs one point read per subscription, not one per notification. A row
// removed meanwhile is caught by the queue worker, which reads it again.
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;
const cache = new Map<string, { row: SubscriptionRow | undefined; until: number }>();

async function subscription(ports: ReceivePorts, id: string, now: number): Promise<SubscriptionRow | undefined> {
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.row;
  const row = await ports.rows.get(id);
  if (cache.size >= CACHE_MAX) cache.clear();
  // Unknown ids are not cached: a subscription created a moment ago must be found at once.
  if (row) cache.set(id, { row, until: now + CACHE_MS });
  return row;
}

/** Forgets cached rows (a subscription deleted or recreated in this worker). */
export function forgetSubscription(id: string): void {
  cache.delete(id);
}

export interface Received {
  accepted: number;
  dropped: Partial<Record<DropReason, number>>;
}

/**
 * Checks each notification of a delivery (known subscription, clientState in constant time, not
 * expired) and queues those that pass, in one message. Nothing here calls Graph. Throws only when
 * the queue refused the message (the endpoint then answers 5xx so that Graph retries).
 */
export async function receiveNotifications(
  ports: ReceivePorts,
  kind: NotificationKind,
  items: unknown[],
  now: Date,
): Promise<Received> {
  const dropped: Partial<Record<DropReason, number>> = {};
  const drop = (reason: DropReason) => (dropped[reason] = (dropped[reason] ?? 0) + 1);
  const checked = await Promise.all(
    items.map(async (raw) => {
      const parsed = notificationItemSchema.safeParse(raw);
      if (!parsed.success) return drop('malformed');
      const item = parsed.data;
      if (kind === 'lifecycle' && !item.lifecycleEvent) return drop('malformed');
      const row = await subscription(ports, item.subscriptionId, now.getTime());
      if (!row) return drop('unknown_subscription');
      if (!clientStateMatches(item.clientState, row.clientStateHash)) return drop('client_state_mismatch');
      // A lifecycle event may come for a subscription that just lapsed (subscriptionRemoved, missed).
      if (kind === 'change' && Date.parse(row.expiresAt) < now.getTime()) return drop('expired_subscription');
      return {
        subscription_id: item.subscriptionId,
        ...(item.changeType ? { change_type: item.changeType } : {}),
        ...(item.lifecycleEvent ? { lifecycle_event: item.lifecycleEvent } : {}),
      };
    }),
  );
  const accepted = checked.filter((c): c is QueuedNotifications['items'][number] => typeof c === 'object');
  if (accepted.length > 0) {
    const batch: QueuedNotifications = { kind, received_at: now.toISOString(), items: accepted };
    await ports.notifications.sendMessage(encodeNotifications(batch));
  }
  for (const [reason, count] of Object.entries(dropped)) recordNotificationsDropped(reason as DropReason, count);
  if (kind === 'change') recordNotificationsReceived('change', accepted.length);
  else {
    const byEvent = new Map<string, number>();
    for (const a of accepted) byEvent.set(a.lifecycle_event ?? '', (byEvent.get(a.lifecycle_event ?? '') ?? 0) + 1);
    for (const [event, count] of byEvent) recordNotificationsReceived('lifecycle', count, event);
  }
  if (Object.keys(dropped).length > 0) ports.log.warn('notifications dropped', { kind, ...dropped });
  return { accepted: accepted.length, dropped };
}
