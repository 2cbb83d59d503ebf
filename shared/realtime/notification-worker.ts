import type { QueueClient } from '@azure/storage-queue';
import { notified, unqueued } from '../integrations/lifecycle.js';
import type { Integration } from '../integrations/model.js';
import type { IntegrationKey } from '../integrations/repository.js';
import type { Logger } from '../log.js';
import type { SyncType } from '../providers.js';
import type { SubscriptionRow } from '../storage/subscription-rows.js';
import { encodeJob, newJob } from '../sync/job.js';
import {
  applyRealtime,
  createSubscription,
  expectedStreams,
  renewSubscription,
  withGraph,
  type RealtimePorts,
} from './manage.js';
import { queuedNotificationsSchema, type QueuedNotifications } from './notification-schemas.js';
import { ROUND_GAP_MS } from './hooks.js';
import { forgetSubscription } from './receive.js';
import { syncTypeOfStream } from './resources.js';

/** What the notification queue's worker needs. */
export type NotificationPorts = RealtimePorts & { jobs: Pick<QueueClient, 'sendMessage'> };

/** Graph forbids a PATCH within 10 minutes of a reauthorization; the app keeps that distance between its own. */
export const REAUTHORIZE_GAP_MS = 10 * 60_000;

/**
 * A delta round for a stream that notifications named (the lifecycle's `notified`): queued when
 * none is queued or running, a follow-up mark when one runs, nothing when a round that started
 * after the receipt covers it. Throws when the job message could not be sent (the queue retries).
 */
export async function requestRound(
  ports: Pick<NotificationPorts, 'integrations' | 'jobs' | 'log'>,
  key: IntegrationKey,
  syncType: SyncType,
  receivedAt: Date,
): Promise<'queued' | 'marked' | 'covered'> {
  const job = newJob(key.userKey, key.id, syncType, receivedAt.toISOString());
  let before: Integration | undefined;
  const now = new Date();
  const after = await ports.integrations.update(key, (current) => {
    before = current;
    return notified(current, { receivedAt, syncType }, job, now);
  });
  if (!after || after.lastSync?.job_id !== job.job_id) {
    return after?.followUp && after.followUp !== before?.followUp ? 'marked' : 'covered';
  }
  // Rounds of one integration start at least ROUND_GAP_MS apart: a lone change after a quiet spell
  // runs at once, a stream of changes is rate-limited (the queued job collapses what comes meanwhile).
  const lastStart = before?.lastSync?.started_at ? Date.parse(before.lastSync.started_at) : 0;
  const delayS = Math.ceil(Math.max(0, ROUND_GAP_MS - (now.getTime() - lastStart)) / 1000);
  try {
    await ports.jobs.sendMessage(encodeJob(job), delayS > 0 ? { visibilityTimeout: delayS } : {});
  } catch (error) {
    await ports.integrations
      .update(after, (current) => unqueued(current, job.job_id, before ?? current))
      .catch(() => undefined);
    throw error;
  }
  return 'queued';
}

/**
 * One queued batch of notifications: each stream named gets (at most) one round; lifecycle events
 * renew, recreate or resync. A subscription unknown by now (deleted since the endpoint checked it)
 * is dropped. A malformed message is logged and dropped: retrying cannot fix it.
 */
export async function handleNotifications(ports: NotificationPorts, message: unknown, log: Logger): Promise<void> {
  const parsed = queuedNotificationsSchema.safeParse(message);
  if (!parsed.success) {
    log.warn('malformed notification message dropped', { issues: parsed.error.issues.length });
    return;
  }
  const batch = parsed.data;
  const receivedAt = new Date(batch.received_at);
  const ids = [...new Set(batch.items.map((i) => i.subscription_id))];
  const rows = new Map<string, SubscriptionRow>();
  await Promise.all(
    ids.map(async (id) => {
      const row = await ports.rows.get(id);
      if (row) rows.set(id, row);
      else forgetSubscription(id);
    }),
  );
  if (batch.kind === 'change') {
    const rounds = new Map<string, { key: IntegrationKey; syncType: SyncType }>();
    for (const row of rows.values()) {
      const syncType = syncTypeOfStream(row.stream);
      rounds.set(`${row.integrationId}/${syncType}`, {
        key: { userKey: row.userKey, id: row.integrationId },
        syncType,
      });
    }
    for (const { key, syncType } of rounds.values()) {
      const outcome = await requestRound(ports, key, syncType, receivedAt);
      log.info('change notification', { integration_id: key.id, sync_type: syncType, round: outcome });
    }
    return;
  }
  for (const item of batch.items) {
    const row = rows.get(item.subscription_id);
    if (!row) continue;
    await lifecycleEvent(ports, row, item, receivedAt, log);
  }
}

async function lifecycleEvent(
  ports: NotificationPorts,
  row: SubscriptionRow,
  item: QueuedNotifications['items'][number],
  receivedAt: Date,
  log: Logger,
): Promise<void> {
  const event = item.lifecycle_event ?? '';
  const fields = { integration_id: row.integrationId, stream: row.stream, lifecycle_event: event };
  const key = { userKey: row.userKey, id: row.integrationId };
  const syncType = syncTypeOfStream(row.stream);
  if (event === 'missed') {
    log.info('lifecycle: notifications missed; delta round', fields);
    await requestRound(ports, key, syncType, receivedAt);
    return;
  }
  if (event !== 'reauthorizationRequired' && event !== 'subscriptionRemoved') {
    log.warn('lifecycle event not handled; ignored', { ...fields, lifecycle_event: event.slice(0, 64) });
    return;
  }
  const integration = await ports.integrations.get(row.userKey, row.integrationId);
  if (!integration || integration.status === 'disconnected' || integration.status === 'reauth_required') {
    log.info('lifecycle event for an integration that is gone or not synced; ignored', fields);
    return;
  }
  if (event === 'reauthorizationRequired') {
    const last = row.reauthorizedAt ? Date.parse(row.reauthorizedAt) : 0;
    if (Date.now() - last < REAUTHORIZE_GAP_MS) {
      log.info('lifecycle: reauthorized less than 10 minutes ago; not renewed again', fields);
      return;
    }
    // Graph asks for a fresh token: the PATCH is sent with one MSAL just refreshed.
    const renewed = await withGraph(
      ports,
      integration,
      (graph) => renewSubscription(ports, integration, row, graph, 'reauthorize'),
      { freshToken: true },
    );
    await applyRealtime(ports, integration, renewed.change);
    log.info('lifecycle: reauthorized', { ...fields, recreated: renewed.recreated });
    if (renewed.recreated) await requestRound(ports, key, syncType, new Date());
    return;
  }
  // subscriptionRemoved: Graph dropped it. Create it again first, then a round for the gap.
  await ports.rows.delete(row);
  forgetSubscription(row.subscriptionId);
  const created = await withGraph(ports, integration, (graph) =>
    createSubscription(ports, integration, row.stream, graph),
  );
  const expected = expectedStreams(integration, ports.settings);
  await applyRealtime(
    ports,
    integration,
    created.ok
      ? { expected, set: { [row.stream]: { id: created.id, expiresAt: created.expiresAt } } }
      : { expected, removed: [row.stream], failure: created.failure },
  );
  log.info('lifecycle: subscription recreated', { ...fields, created: created.ok });
  await requestRound(ports, key, syncType, new Date());
}

/**
 * The notifications poison queue's consumer: a batch failed on every delivery. Its integrations are
 * made due now, so the next timer fan-out (SYNC_SCHEDULE) runs their round instead of the
 * reconciliation hours later.
 */
export async function handleAbandonedNotifications(
  ports: Pick<NotificationPorts, 'rows' | 'integrations'>,
  message: unknown,
  log: Logger,
): Promise<void> {
  const parsed = queuedNotificationsSchema.safeParse(message);
  if (!parsed.success) {
    log.warn('unreadable poison notification message dropped');
    return;
  }
  const now = new Date().toISOString();
  const ids = [...new Set(parsed.data.items.map((i) => i.subscription_id))];
  for (const id of ids) {
    const row = await ports.rows.get(id);
    if (!row) continue;
    await ports.integrations.update({ userKey: row.userKey, id: row.integrationId }, (current) =>
      current.nextSyncAt > now ? { ...current, nextSyncAt: now } : undefined,
    );
    log.warn('notifications abandoned after repeated failures; integration due now', {
      integration_id: row.integrationId,
      kind: parsed.data.kind,
    });
  }
}
