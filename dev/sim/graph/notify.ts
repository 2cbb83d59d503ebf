import { etagOf, guidOf, SIM_TENANT_ID } from './ids.js';
import type { Subscription } from './subscriptions.js';
import type { GraphObject, UserState } from './store.js';

// Change notifications (change-notifications-delivery-webhooks.md): one POST per subscription
// with every matching change of the operation in `value`. Fire-and-forget: delivery failures are
// swallowed, as Graph retries in the background and the caller never sees them.

export interface ChangeRecord {
  resource: 'event' | 'message';
  changeType: 'created' | 'updated' | 'deleted';
  /** The default (REST) id; `immutableId` is the id under `Prefer: IdType="ImmutableId"`. */
  id: string;
  immutableId?: string;
  changeKey: string;
  /** Messages: the folder the message is in (or was in, when deleted or moved away). */
  folderId?: string;
}

const NOTIFY_TIMEOUT_MS = 10_000;

export function matches(sub: Subscription, c: ChangeRecord): boolean {
  if (!sub.changeTypes.includes(c.changeType)) return false;
  if (sub.target.kind === 'event') return c.resource === 'event';
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

export function deliver(
  sendHttp: typeof fetch,
  subs: Iterable<Subscription>,
  user: UserState,
  changes: ChangeRecord[],
  nowMs: number,
  nextSerial: () => number,
): void {
  if (changes.length === 0) return;
  for (const sub of subs) {
    if (sub.userId !== user.user.id || sub.expirationMs <= nowMs) continue;
    const value = changes.filter((c) => matches(sub, c)).map((c) => notificationJson(sub, c, nextSerial()));
    if (value.length === 0) continue;
    try {
      sendHttp(sub.notificationUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ value }),
        signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
      })
        .then(
          (res) => res.body?.cancel(),
          () => undefined,
        )
        .catch(() => undefined);
    } catch {
      // A synchronous failure (e.g. a bad URL) is as ignorable as an asynchronous one.
    }
  }
}
