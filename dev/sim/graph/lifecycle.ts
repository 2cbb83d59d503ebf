import type { DeliverySettings } from './delivery-settings.js';
import type { DeliveryEngine } from './delivery.js';
import { lifecycleJson, type LifecycleEvent } from './notify.js';
import type { Subscription, SubscriptionStore } from './subscriptions.js';

// Lifecycle notifications (change-notifications-lifecycle-events.md), sent to a subscription's
// lifecycleNotificationUrl: on demand (the /_sim control), `missed` when change notifications were
// given up, and `reauthorizationRequired` by itself once a subscription is within
// `reauthorization_lead_s` of its expiry (once per expiry; Graph also sends it "when a subscription
// is about to expire"). A watcher ticking every second removes expired subscriptions, so their
// notifications stop; it runs only while subscriptions exist.

const TICK_MS = 1_000;

export class Lifecycle {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly subs: SubscriptionStore,
    private readonly engine: DeliveryEngine,
    private readonly settings: DeliverySettings,
    private readonly nowMs: () => number,
  ) {}

  /**
   * Sends one lifecycle event (subscriptionRemoved also removes the subscription). False when the
   * subscription has no lifecycleNotificationUrl (nothing is sent; a removal still happens).
   */
  send(sub: Subscription, event: LifecycleEvent): boolean {
    if (event === 'subscriptionRemoved') this.subs.remove(sub.id, this.nowMs(), 'subscriptionRemoved');
    if (!sub.lifecycleNotificationUrl) return false;
    this.engine.enqueue(sub.userId, sub.lifecycleNotificationUrl, [
      { subscriptionId: sub.id, kind: 'lifecycle', json: lifecycleJson(sub, event) },
    ]);
    return true;
  }

  /** Starts the watcher if it is not running. */
  watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  tick(): void {
    const now = this.nowMs();
    this.subs.prune(now);
    for (const sub of this.subs.byId.values()) {
      const s = this.settings.effective(sub.userId);
      const due = sub.expirationMs - s.reauthorization_lead_s * 1000 <= now;
      if (!s.auto_reauthorization || !due || sub.autoReauthForExpiryMs === sub.expirationMs) continue;
      sub.autoReauthForExpiryMs = sub.expirationMs;
      this.send(sub, 'reauthorizationRequired');
    }
    if (this.subs.byId.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
