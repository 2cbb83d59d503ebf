import { odata, type TableClient } from '@azure/data-tables';
import type { QueueClient } from '@azure/storage-queue';
import type { Integration } from '../integrations/model.js';
import { fromRow, type IntegrationRepository } from '../integrations/repository.js';
import type { Logger } from '../log.js';
import { nextSyncAfter, SYNCABLE_STATUSES, syncInFlight } from '../integrations/lifecycle.js';
import { requestSync } from './enqueue.js';

export interface ScheduleResult {
  scanned: number;
  enqueued: number;
  skipped: number;
  failed: number;
}

const PAGE_SIZE = 1000;
const CONCURRENCY = 32;

/**
 * Pages through syncable integrations (`active`, and `error` so that a sync can clear it) that are
 * due and queues one full sync each. Memory stays
 * bounded: one page of rows at a time, at most CONCURRENCY enqueues in flight. Each enqueue marks
 * the integration queued (ETag-guarded) and moves next_sync_at with jitter, so a later run, or a
 * second scheduler instance, does not queue it again.
 */
export async function scheduleDueSyncs(
  table: TableClient,
  repo: IntegrationRepository,
  queue: QueueClient,
  /** Minutes to the next run: one number, or per integration (real time active: the reconciliation cadence). */
  intervalMinutes: number | ((integration: Integration) => number),
  log: Logger,
  now = new Date(),
): Promise<ScheduleResult> {
  const result: ScheduleResult = { scanned: 0, enqueued: 0, skipped: 0, failed: 0 };
  const syncable = SYNCABLE_STATUSES.map((status) => odata`status eq ${status}`).join(' or ');
  const filter = `(${syncable}) and ${odata`nextSyncAt le ${now.toISOString()}`}`;
  const pages = table.listEntities({ queryOptions: { filter } }).byPage({ maxPageSize: PAGE_SIZE });
  for await (const page of pages) {
    const due = page.flatMap((row) => {
      result.scanned++;
      try {
        const integration = fromRow(row);
        if (!syncInFlight(integration, now)) return [integration];
      } catch {
        log.warn('integration row does not parse; skipped', { integration_row: String(row.rowKey) });
      }
      result.skipped++;
      return [];
    });
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const integration = due[next++]!;
        try {
          const minutes = typeof intervalMinutes === 'number' ? intervalMinutes : intervalMinutes(integration);
          const next = nextSyncAfter(now, minutes);
          const { queued } = await requestSync({ integrations: repo, jobs: queue }, integration, 'full', {
            nextSyncAt: next,
          });
          if (queued) result.enqueued++;
          else result.skipped++;
        } catch (error) {
          result.failed++;
          log.warn('could not queue a sync', { integration_id: integration.id, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
  }
  return result;
}
