import type {
  LifecycleEventName,
  NotificationSettingsInput,
  RealtimeControls,
  SubscriptionTruth,
} from '../contract.js';
import { clientStateStrength } from './client-state-strength.js';
import type { DeliverySettings } from './delivery-settings.js';
import type { DeliveryEngine } from './delivery.js';
import type { Lifecycle } from './lifecycle.js';
import type { UserState } from './store.js';
import type { RemovedSubscription, Subscription, SubscriptionStore } from './subscriptions.js';

// The ground truth and knobs behind /_sim/notifications and /_sim/users/{email}/subscriptions.
// The clientState never leaves the simulator: only whether it is there, its length and strength.

export interface RealtimeDeps {
  subs: SubscriptionStore;
  settings: DeliverySettings;
  engine: DeliveryEngine;
  lifecycle: Lifecycle;
  user: (email: string) => UserState;
  nowMs: () => number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const stamps = (list: Subscription['renewals']): SubscriptionTruth['renewals'] =>
  list.map((r) => ({ at: iso(r.atMs), token_issued_at: r.tokenIssuedAtMs === null ? null : iso(r.tokenIssuedAtMs) }));

export function createRealtimeControls(d: RealtimeDeps): RealtimeControls {
  const truth = (sub: Subscription, removed?: RemovedSubscription): SubscriptionTruth => {
    const c = sub.counters;
    return {
      id: sub.id,
      resource: sub.resource,
      change_type: sub.changeType,
      notification_url: sub.notificationUrl,
      lifecycle_notification_url: sub.lifecycleNotificationUrl,
      expiration_date_time: iso(sub.expirationMs),
      application_id: sub.appId,
      created_at: iso(sub.createdMs),
      client_state: clientStateStrength(sub.clientState),
      renewals: stamps(sub.renewals),
      reauthorizations: stamps(sub.reauthorizations),
      deliveries: {
        attempted: c.attempted,
        succeeded: c.succeeded,
        failed: c.failed,
        dropped: c.dropped,
        notifications_delivered: c.notificationsDelivered,
        lifecycle_delivered: { ...c.lifecycle },
      },
      endpoint: d.engine.health.describe(sub.notificationUrl, d.settings.effective(sub.userId)),
      ...(removed ? { removed: { at: iso(removed.removedMs), reason: removed.reason } } : {}),
    };
  };
  const live = (email: string): Subscription[] => d.subs.ofUser(d.user(email).user.id, d.nowMs());
  const idOf = (email?: string): string | undefined => (email === undefined ? undefined : d.user(email).user.id);

  return {
    settings: (email) => d.settings.get(idOf(email)),
    effectiveSettings: (email) => d.settings.effective(d.user(email).user.id),
    setSettings: (settings: NotificationSettingsInput, email) => d.settings.set(settings, idOf(email)),
    clearSettings: (email) => d.settings.clear(idOf(email)),
    subscriptions(email, includeRemoved = false) {
      const userId = d.user(email).user.id;
      const out = live(email).map((s) => truth(s));
      if (includeRemoved) for (const r of d.subs.removed) if (r.sub.userId === userId) out.push(truth(r.sub, r));
      return out;
    },
    lifecycle(email, event: LifecycleEventName, subscriptionId) {
      const targets = live(email).filter((s) => subscriptionId === undefined || s.id === subscriptionId);
      return targets.map((s) => ({ id: s.id, sent: d.lifecycle.send(s, event) }));
    },
    setExpiry(email, subscriptionId, inSeconds) {
      const sub = live(email).find((s) => s.id === subscriptionId);
      if (!sub) return undefined;
      sub.expirationMs = d.nowMs() + inSeconds * 1000;
      d.lifecycle.tick();
      const removed = d.subs.removed.find((r) => r.sub === sub);
      return truth(sub, removed);
    },
  };
}
