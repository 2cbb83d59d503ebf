import type { QueueClient } from '@azure/storage-queue';
import { AppError, notFound } from '../errors.js';
import { queued, unqueued } from '../integrations/lifecycle.js';
import type { Integration } from '../integrations/model.js';
import type { IntegrationRepository } from '../integrations/repository.js';
import type { Logger } from '../log.js';
import { providers, type SyncType } from '../providers.js';
import { encodeJob, newJob } from './job.js';

/** What queueing a sync needs: the integrations and the sync-jobs queue. */
export interface EnqueuePorts {
  integrations: IntegrationRepository;
  jobs: QueueClient;
}

export interface EnqueueOptions {
  nextSyncAt?: string;
}

/**
 * Queues one sync unless one is already queued or running. The integration row is marked first,
 * guarded by its ETag, so two concurrent requests cannot both win; then the message is sent.
 * Returns the integration as it now stands.
 */
export async function requestSync(
  ports: EnqueuePorts,
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
  const updated = await ports.integrations.update(integration, (current) =>
    queued(current, job, now, options.nextSyncAt),
  );
  if (!updated) throw notFound();
  const isQueued = updated.lastSync?.job_id === job.job_id;
  if (isQueued) {
    try {
      await ports.jobs.sendMessage(encodeJob(job));
    } catch (error) {
      // Nothing was queued: put last_sync back, so neither the SPA nor the scheduler waits on a ghost job.
      await ports.integrations
        .update(updated, (current) => unqueued(current, job.job_id, integration))
        .catch(() => undefined);
      throw error;
    }
  }
  return { integration: updated, queued: isQueued };
}

/** The connect flow's hook: the first full sync starts as soon as the account is connected. */
export async function queueFirstSync(ports: EnqueuePorts, integration: Integration, log: Logger): Promise<void> {
  try {
    await requestSync(ports, integration, 'full');
  } catch (error) {
    // Connecting succeeded; the timer will pick the integration up (it is due now).
    log.warn('could not queue the first sync', { integration_id: integration.id, error });
  }
}
