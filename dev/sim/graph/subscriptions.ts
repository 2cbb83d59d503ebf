import { guidOf } from './ids.js';
import type { GraphObject } from './store.js';
import { instant7 } from './time.js';

// The subscription model and store (subscription.md). Creation lives in subscription-create.ts,
// the other operations in subscription-manage.ts, deliveries in delivery.ts.

export type SubscriptionTarget = { kind: 'event'; calendarId: string } | { kind: 'message'; folderId: string | null };

export interface DeliveryCounters {
  /** POSTs of change notifications (each retry counts). */
  attempted: number;
  /** Answered 2xx within 3 s. */
  succeeded: number;
  /** Answered otherwise, too late or not at all. */
  failed: number;
  /** Change notifications given up (retry window over, or a throttled endpoint dropping). */
  dropped: number;
  /** Change notifications acknowledged by the app. */
  notificationsDelivered: number;
  /** Lifecycle notifications delivered, by lifecycleEvent. */
  lifecycle: Record<string, number>;
}

export interface Subscription {
  id: string;
  userId: string;
  /** The client id of the app that created it: other apps neither see nor manage it. */
  appId: string;
  resource: string;
  target: SubscriptionTarget;
  changeType: string;
  changeTypes: string[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationMs: number;
  latestSupportedTlsVersion: string;
  /** Created with `Prefer: IdType="ImmutableId"`: notifications carry immutable ids. */
  immutableIds: boolean;
  createdMs: number;
  renewals: Array<{ atMs: number; tokenIssuedAtMs: number | null }>;
  reauthorizations: Array<{ atMs: number; tokenIssuedAtMs: number | null }>;
  /** The expiry the automatic reauthorizationRequired was sent for (one per expiry; null: none yet). */
  autoReauthForExpiryMs: number | null;
  counters: DeliveryCounters;
}

export interface RemovedSubscription {
  sub: Subscription;
  removedMs: number;
  reason: 'deleted' | 'expired' | 'subscriptionRemoved';
}

const REMOVED_KEPT = 1000;

export const newCounters = (): DeliveryCounters => ({
  attempted: 0,
  succeeded: 0,
  failed: 0,
  dropped: 0,
  notificationsDelivered: 0,
  lifecycle: {},
});

export class SubscriptionStore {
  readonly byId = new Map<string, Subscription>();
  /** The last removed subscriptions, newest last (ground truth for tests). */
  readonly removed: RemovedSubscription[] = [];
  private counter = 0;
  private notificationSerial = 0;
  constructor(private readonly seed: number) {}
  newId(): string {
    return guidOf('subscription', this.seed, this.counter++);
  }
  nextNotificationSerial = (): number => this.notificationSerial++;

  remove(id: string, nowMs: number, reason: RemovedSubscription['reason']): Subscription | undefined {
    const sub = this.byId.get(id);
    if (!sub) return undefined;
    this.byId.delete(id);
    this.removed.push({ sub, removedMs: nowMs, reason });
    if (this.removed.length > REMOVED_KEPT) this.removed.splice(0, this.removed.length - REMOVED_KEPT);
    return sub;
  }

  /** Removes what has expired: Graph deletes a subscription that was not renewed in time. */
  prune(nowMs: number): void {
    for (const sub of [...this.byId.values()]) if (sub.expirationMs <= nowMs) this.remove(sub.id, nowMs, 'expired');
  }

  /** The live subscriptions of one user (all apps). */
  ofUser(userId: string, nowMs: number): Subscription[] {
    this.prune(nowMs);
    return [...this.byId.values()].filter((s) => s.userId === userId);
  }
}

export function subscriptionJson(s: Subscription): GraphObject {
  return {
    id: s.id,
    resource: s.resource,
    applicationId: s.appId,
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
