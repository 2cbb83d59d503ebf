import type { Logger } from '../log.js';
import { canSync } from '../integrations/lifecycle.js';
import type { SubscriptionRow } from '../storage/subscription-rows.js';
import { applyRealtime, renewSubscription, withGraph } from './manage.js';
import { REAUTHORIZE_GAP_MS, requestRound, type NotificationPorts } from './notification-worker.js';
import { syncTypeOfStream } from './resources.js';

/**
 * Renewal margin: a subscription is renewed once it expires within 24 hours. Subscriptions live
 * 7 days, so a renewal costs one PATCH per subscription about every 6 days (a sliver of B1r's
 * budget), while a day's margin leaves the timer (every 15 minutes by default) about 96 attempts
 * to get through a Graph outage, throttling or a token refresh that fails for a while before the
 * subscription lapses; after 3 failed attempts in a row, or with 2 hours left, the integration is
 * `degraded` and polls at the normal cadence until a renewal succeeds.
 */
export const RENEWAL_MARGIN_MS = 24 * 3600_000;
const CONCURRENCY = 8;

export interface RenewalResult {
  due: number;
  renewed: number;
  recreated: number;
  failed: number;
  skipped: number;
}

/** The renewal timer's work: every subscription expiring within the margin is renewed (404: recreated + a round). */
export async function renewDueSubscriptions(
  ports: NotificationPorts,
  log: Logger,
  now = new Date(),
  marginMs = RENEWAL_MARGIN_MS,
): Promise<RenewalResult> {
  const result: RenewalResult = { due: 0, renewed: 0, recreated: 0, failed: 0, skipped: 0 };
  const due: SubscriptionRow[] = [];
  for await (const row of ports.rows.expiringBy(new Date(now.getTime() + marginMs).toISOString())) due.push(row);
  result.due = due.length;
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const row = due[next++]!;
      try {
        await renewOne(ports, row, now, result, log);
      } catch (error) {
        result.failed++;
        log.warn('subscription renewal failed', { integration_id: row.integrationId, stream: row.stream, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
  return result;
}

async function renewOne(
  ports: NotificationPorts,
  row: SubscriptionRow,
  now: Date,
  result: RenewalResult,
  log: Logger,
): Promise<void> {
  const integration = await ports.integrations.get(row.userKey, row.integrationId);
  if (!integration || integration.status === 'disconnected') {
    // An orphan (its integration is gone): nothing will renew it, and notifications to it are dropped.
    await ports.rows.delete(row);
    result.skipped++;
    return;
  }
  if (!canSync(integration)) {
    result.skipped++;
    return;
  }
  if (row.reauthorizedAt && now.getTime() - Date.parse(row.reauthorizedAt) < REAUTHORIZE_GAP_MS) {
    result.skipped++;
    return;
  }
  const renewed = await withGraph(ports, integration, (graph) =>
    renewSubscription(ports, integration, row, graph, 'renew', now),
  );
  await applyRealtime(ports, integration, renewed.change, now);
  if (renewed.change.failure) result.failed++;
  else if (renewed.recreated) result.recreated++;
  else result.renewed++;
  if (renewed.recreated) await requestRound(ports, integration, syncTypeOfStream(row.stream), new Date());
  log.debug('subscription renewal', { integration_id: integration.id, stream: row.stream });
}
