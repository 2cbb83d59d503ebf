import type { QueueFunction } from '../shared/functions/definitions.js';
import { lazy } from '../shared/lazy.js';
import { QUEUES } from '../shared/storage/names.js';

const app = lazy(() => import('../shared/app.js'));

/** Queue trigger: runs one sync job (host.json: up to 5 deliveries, then `sync-jobs-poison`). */
export const syncWorker: QueueFunction = {
  kind: 'queue',
  name: 'syncWorker',
  queueName: QUEUES.syncJobs,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => (await app()).handleSyncJob(message, context),
};
