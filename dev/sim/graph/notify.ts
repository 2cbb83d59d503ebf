import type { DeliveryEngine } from './delivery.js';
import { etagOf, guidOf, SIM_TENANT_ID } from './ids.js';
import type { GraphObject, UserState } from './store.js';
import { defaultCalendarId } from './subscription-resources.js';
import type { Subscription, SubscriptionStore } from './subscriptions.js';
import { instant7 } from './time.js';

// Change notifications (change-notifications-delivery-webhooks.md) in Graph's shape: one per
// matching change of an operation, queued on the delivery engine (delivery.ts), which posts them
// in the background with Graph's retries; the operation that made the change never waits.

export interface ChangeRecord {
  resource: 'event' | 'message';
  changeType: 'created' | 'updated' | 'deleted';
  /** The default (REST) id; `immutableId` is the id under `Prefer: IdType="ImmutableId"`. */
  id: string;
  immutableId?: string;
  changeKey: string;
  /** Messages: the folder the message is in (or was in, when deleted or moved away). */
  folderId?: string;
  /** Events: the calendar (default: the user's default calendar). */
  calendarId?: string;
}

export type LifecycleEvent = 'missed' | 'subscriptionRemoved' | 'reauthorizationRequired';

export function matches(sub: Subscription, c: ChangeRecord, defaultCalendar: string): boolean {
  if (!sub.changeTypes.includes(c.changeType)) return false;
  // `/me/events` watches the default calendar only, as Graph is reported to do.
  if (sub.target.kind === 'event')
    return c.resource === 'event' && (c.calendarId ?? defaultCalendar) === sub.target.calendarId;
  return c.resource === 'message' && (sub.target.folderId === null || sub.target.folderId === c.folderId);
}

export function notificationJson(sub: Subscription, c: ChangeRecord, serial: number): GraphObject {
  const kind = c.resource === 'event' ? 'Events' : 'Messages';
  // A subscription created with `Prefer: IdType="ImmutableId"` is notified with immutable ids.
  const id = sub.immutableIds ? (c.immutableId ?? c.id) : c.id;
  const path = `Users/${sub.userId}/${kind}/${id}`;
  return {
    id: guidOf('notification', sub.id, serial).replace(/-/g, '').slice(0, 13),
    subscriptionId: sub.id,
    subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
    clientState: sub.clientState,
    changeType: c.changeType,
    resource: path,
    tenantId: SIM_TENANT_ID,
    resourceData: {
      '@odata.type': c.resource === 'event' ? '#Microsoft.Graph.Event' : '#Microsoft.Graph.Message',
      '@odata.id': path,
      '@odata.etag': etagOf(c.changeKey),
      id,
    },
  };
}

/** A lifecycle notification (change-notifications-lifecycle-events.md): no resource, a lifecycleEvent. */
export function lifecycleJson(sub: Subscription, lifecycleEvent: LifecycleEvent): GraphObject {
  return {
    subscriptionId: sub.id,
    subscriptionExpirationDateTime: instant7(sub.expirationMs),
    tenantId: SIM_TENANT_ID,
    clientState: sub.clientState,
    lifecycleEvent,
  };
}

/** Queues the change notifications of one operation to every matching live subscription of the user. */
export function publish(
  engine: DeliveryEngine,
  subs: SubscriptionStore,
  user: UserState,
  changes: ChangeRecord[],
  nowMs: number,
): void {
  if (changes.length === 0) return;
  for (const sub of subs.ofUser(user.user.id, nowMs)) {
    const items = changes
      .filter((c) => matches(sub, c, defaultCalendarId(user)))
      .map((c) => ({
        subscriptionId: sub.id,
        kind: 'change' as const,
        json: notificationJson(sub, c, subs.nextNotificationSerial()),
      }));
    engine.enqueue(user.user.id, sub.notificationUrl, items);
  }
}
