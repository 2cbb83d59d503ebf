import type { QueueFunction } from '../shared/functions/definitions.js';
import { QUEUES } from '../shared/storage/account.js';
import { handleSyncJob } from '../shared/sync/worker.js';

/** Queue trigger: runs one sync job (host.json: up to 5 deliveries, then `sync-jobs-poison`). */
export const syncWorker: QueueFunction = {
  kind: 'queue',
  name: 'syncWorker',
  queueName: QUEUES.syncJobs,
  connection: 'AzureWebJobsStorage',
  handler: handleSyncJob,
};
