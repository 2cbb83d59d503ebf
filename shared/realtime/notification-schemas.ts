import { z } from 'zod';

// What Graph posts (change-notification-webhook.json, lifecycle-notification*.json), parsed at the
// edge; and the message the endpoints put on the `notifications` queue for the worker.

const text = (max: number) => z.string().max(max);

/** One item of a notification body: the fields this app reads; the rest is ignored. */
export const notificationItemSchema = z.looseObject({
  subscriptionId: text(128).min(1),
  clientState: text(256).nullish(),
  changeType: text(64).optional(),
  lifecycleEvent: text(64).optional(),
  subscriptionExpirationDateTime: text(64).optional(),
  resource: text(2048).optional(),
});
export type NotificationItem = z.infer<typeof notificationItemSchema>;

/** The body: `{ value: [...] }`; items are parsed one by one so one bad item drops only itself. */
export const notificationBodySchema = z.looseObject({ value: z.array(z.unknown()).min(1).max(1000) });

export const notificationKindSchema = z.enum(['change', 'lifecycle']);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** A queued batch: the notifications of one delivery that passed the checks. */
export const queuedNotificationsSchema = z.strictObject({
  kind: notificationKindSchema,
  received_at: z.iso.datetime(),
  items: z
    .array(
      z.strictObject({
        subscription_id: text(128).min(1),
        change_type: text(64).optional(),
        lifecycle_event: text(64).optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type QueuedNotifications = z.infer<typeof queuedNotificationsSchema>;

export const encodeNotifications = (batch: QueuedNotifications): string =>
  Buffer.from(JSON.stringify(batch), 'utf8').toString('base64');
