import type { DeliverySettings, EffectiveSettings } from './delivery-settings.js';
import { EndpointHealth } from './endpoint-health.js';
import { guidOf } from './ids.js';
import type { GraphObject } from './store.js';
import { isLoopback } from './subscription-validation.js';
import type { Subscription, SubscriptionStore } from './subscriptions.js';

// How Graph delivers notifications (change-notifications-delivery-webhooks.md): a POST of
// `{"value": [...]}` that must be answered 2xx within 3 s; otherwise Graph retries "multiple times,
// for up to 4 hours", then discards. Graph does not publish its back-off; the simulator retries
// after 30 s, doubling up to 1 h between attempts, until the 4 hours since the first attempt are
// over (both scaled by `retry_time_scale`). Given-up change notifications are reported to the
// subscription's lifecycleNotificationUrl as `missed` (change-notifications-lifecycle-events.md).
// Deliveries only ever go to loopback hosts.

const ANSWER_LIMIT_MS = 3_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_GAP_MS = 3_600_000;
const RETRY_WINDOW_MS = 4 * 3_600_000;
const THROTTLED_DELAY_MS = 10 * 60_000;
const MAX_BATCH = 100;

export interface Outgoing {
  subscriptionId: string;
  kind: 'change' | 'lifecycle';
  json: GraphObject;
}

interface Delivery {
  url: string;
  userId: string;
  items: Outgoing[];
  firstAttemptMs: number;
  attempt: number;
}

export interface DeliveryDeps {
  subscriptions: SubscriptionStore;
  settings: DeliverySettings;
  sendHttp: () => typeof fetch;
  /** The service clock: whether a subscription has expired. */
  nowMs: () => number;
  random: () => number;
  /** Change notifications of a subscription were given up. */
  onDropped: (sub: Subscription) => void;
}

export class DeliveryEngine {
  private readonly buckets = new Map<string, { userId: string; items: Outgoing[] }>();
  readonly health = new EndpointHealth();
  private copySerial = 0;

  constructor(private readonly deps: DeliveryDeps) {}

  /** Queues notifications for one URL of one user's subscriptions (copies, delay and batching applied). */
  enqueue(userId: string, url: string, items: Outgoing[]): void {
    if (items.length === 0 || !isLoopback(url)) return;
    const s = this.deps.settings.effective(userId);
    const copies = items.some((i) => i.kind === 'change') ? s.duplicates : 1;
    for (let c = 0; c < copies; c++) {
      const batch = c === 0 ? items : items.map((i) => this.copyOf(i));
      const throttled = this.health.state(url, s) === 'slow' ? THROTTLED_DELAY_MS * s.retry_time_scale : 0;
      const delay = s.delay_ms + Math.floor(this.deps.random() * s.jitter_ms) + throttled;
      later(delay, () => this.arrive(userId, url, batch, s));
    }
  }

  private copyOf(item: Outgoing): Outgoing {
    if (item.kind !== 'change') return item;
    const id = guidOf('notification-copy', String(item.json.id), this.copySerial++).replace(/-/g, '').slice(0, 13);
    return { ...item, json: { ...item.json, id } };
  }

  private arrive(userId: string, url: string, items: Outgoing[], s: EffectiveSettings): void {
    if (s.batch_window_ms === 0) {
      this.post(userId, url, s.reorder ? this.shuffle(items) : items);
      return;
    }
    const key = `${userId} ${url}`;
    const bucket = this.buckets.get(key);
    if (bucket) {
      bucket.items.push(...items);
      return;
    }
    this.buckets.set(key, { userId, items: [...items] });
    later(s.batch_window_ms, () => {
      const full = this.buckets.get(key);
      this.buckets.delete(key);
      if (full) this.post(userId, url, s.reorder ? this.shuffle(full.items) : full.items);
    });
  }

  private post(userId: string, url: string, items: Outgoing[]): void {
    for (let i = 0; i < items.length; i += MAX_BATCH) {
      const delivery = { url, userId, items: items.slice(i, i + MAX_BATCH), firstAttemptMs: Date.now(), attempt: 0 };
      void this.attempt(delivery);
    }
  }

  private shuffle<T>(items: T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.deps.random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  private live(item: Outgoing): Subscription | undefined {
    const sub = this.deps.subscriptions.byId.get(item.subscriptionId);
    return sub && sub.expirationMs > this.deps.nowMs() ? sub : undefined;
  }

  /** The subscription an item counts against: live for change notifications, live or removed for lifecycle. */
  private owner(item: Outgoing): Subscription | undefined {
    if (item.kind === 'change') return this.live(item);
    return this.live(item) ?? this.deps.subscriptions.removed.find((r) => r.sub.id === item.subscriptionId)?.sub;
  }

  private async attempt(d: Delivery): Promise<void> {
    // A deleted or expired subscription's change notifications stop, retries included.
    const items = d.items.filter((i) => this.owner(i) !== undefined);
    if (items.length === 0) return;
    const s = this.deps.settings.effective(d.userId);
    if (this.health.state(d.url, s) === 'drop') return this.giveUp(items);
    const subs = new Set(items.map((i) => this.owner(i)).filter((x): x is Subscription => x !== undefined));
    const changeSubs = new Set(items.filter((i) => i.kind === 'change').map((i) => i.subscriptionId));
    for (const sub of subs) if (changeSubs.has(sub.id)) sub.counters.attempted++;
    const started = Date.now();
    let ok: boolean;
    try {
      const res = await this.deps.sendHttp()(d.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ value: items.map((i) => i.json) }),
        signal: AbortSignal.timeout(ANSWER_LIMIT_MS),
      });
      await res.body?.cancel();
      ok = res.status >= 200 && res.status < 300 && Date.now() - started <= ANSWER_LIMIT_MS;
    } catch {
      ok = false;
    }
    this.health.record(d.url, Date.now() - started, s);
    for (const sub of subs) {
      const mine = items.filter((i) => i.subscriptionId === sub.id);
      const changes = mine.filter((i) => i.kind === 'change').length;
      if (changes > 0) {
        if (ok) sub.counters.succeeded++;
        else sub.counters.failed++;
      }
      if (!ok) continue;
      sub.counters.notificationsDelivered += changes;
      for (const i of mine.filter((x) => x.kind === 'lifecycle')) {
        const event = String(i.json.lifecycleEvent);
        sub.counters.lifecycle[event] = (sub.counters.lifecycle[event] ?? 0) + 1;
      }
    }
    if (ok) return;
    const gap = Math.min(FIRST_RETRY_MS * 2 ** d.attempt, MAX_RETRY_GAP_MS) * s.retry_time_scale;
    if (Date.now() + gap - d.firstAttemptMs > RETRY_WINDOW_MS * s.retry_time_scale) return this.giveUp(items);
    later(gap, () => void this.attempt({ ...d, items, attempt: d.attempt + 1 }));
  }

  private giveUp(items: Outgoing[]): void {
    const dropped = new Map<Subscription, number>();
    for (const i of items) {
      const sub = i.kind === 'change' ? this.live(i) : undefined;
      if (sub) dropped.set(sub, (dropped.get(sub) ?? 0) + 1);
    }
    for (const [sub, n] of dropped) {
      sub.counters.dropped += n;
      this.deps.onDropped(sub);
    }
  }
}

function later(ms: number, run: () => void): void {
  const timer = setTimeout(run, ms);
  timer.unref();
}
