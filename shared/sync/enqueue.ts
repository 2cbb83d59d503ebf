import type { QueueClient } from '@azure/storage-queue';
import { deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { Integration, LastSync } from '../integrations/model.js';
import type { IntegrationRepository } from '../integrations/repository.js';
import type { Logger } from '../log.js';
import { providers, type SyncType } from '../providers.js';
import { QUEUES } from '../storage/account.js';
import { repositories } from '../services.js';
import { encodeJob, newJob } from './job.js';

/** A queued job that never started (lost message, crashed enqueue) no longer blocks a new one after this. */
export const STALE_QUEUED_MS = 15 * 60 * 1000;

/** Whether a sync of this integration is queued or running right now (so no second one is queued). */
export function syncInFlight(integration: Integration, now: Date): boolean {
  const last = integration.lastSync;
  if (last?.status === 'running') return Boolean(integration.lease && Date.parse(integration.lease.until) > now.getTime());
  if (last?.status === 'queued') return Date.parse(last.queued_at) > now.getTime() - STALE_QUEUED_MS;
  return false;
}

export interface EnqueueOptions {
  nextSyncAt?: string;
  /** When true, a sync already in flight is an answer, not an error (the scheduler's case). */
  quiet?: boolean;
}

/**
 * Queues one sync unless one is already queued or running. The integration row is marked first,
 * guarded by its ETag, so two concurrent requests cannot both win; then the message is sent.
 * Returns the integration as it now stands.
 */
export async function requestSync(
  repo: IntegrationRepository,
  queue: QueueClient,
  integration: Integration,
  syncType: SyncType,
  options: EnqueueOptions = {},
): Promise<{ integration: Integration; queued: boolean }> {
  if (!providers[integration.provider].syncTypes.includes(syncType)) {
    throw new AppError('invalid_sync_type', `A ${integration.provider} integration cannot run a ${syncType} sync.`);
  }
  if (integration.status === 'reauth_required') {
    throw new AppError('reauth_required', 'Microsoft no longer accepts this connection: connect the account again.');
  }
  const now = new Date();
  const job = newJob(integration.userKey, integration.id, syncType);
  let queued = false;
  const updated = await repo.update(integration.userKey, integration.id, (current) => {
    queued = false;
    if (syncInFlight(current, now)) return undefined;
    queued = true;
    const lastSync: LastSync = {
      status: 'queued',
      sync_type: syncType,
      job_id: job.job_id,
      queued_at: now.toISOString(),
      started_at: null,
      finished_at: null,
      items_upserted: 0,
      items_deleted: 0,
      error: null,
    };
    return { ...current, lastSync, nextSyncAt: options.nextSyncAt ?? current.nextSyncAt };
  }, integration);
  if (!updated) throw new AppError('not_found', 'No such resource.');
  if (queued) {
    try {
      await queue.sendMessage(encodeJob(job));
    } catch (error) {
      // Nothing was queued: put last_sync back, so neither the SPA nor the scheduler waits on a ghost job.
      await repo
        .update(integration.userKey, integration.id, (current) =>
          current.lastSync?.job_id === job.job_id ? { ...current, lastSync: integration.lastSync, nextSyncAt: integration.nextSyncAt } : undefined,
        )
        .catch(() => undefined);
      throw error;
    }
  }
  return { integration: updated, queued };
}

/** The connect flow's hook: the first full sync starts as soon as the account is connected. */
export function enqueueAfterConnect(log: Logger) {
  return async (integration: Integration) => {
    try {
      const [{ integrations }, queue] = await Promise.all([repositories(), deps().then((d) => d.storage.queue(QUEUES.syncJobs))]);
      await requestSync(integrations, queue, integration, 'full');
    } catch (error) {
      // Connecting succeeded; the timer will pick the integration up (it is due now).
      log.warn('could not queue the first sync', { integration_id: integration.id, error });
    }
  };
}
