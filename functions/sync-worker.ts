import type { QueueFunction } from '../shared/functions/definitions.js';
import { useCases } from '../shared/root.js';
import { QUEUES } from '../shared/storage/names.js';

/** Queue trigger: runs one sync job (host.json: up to 5 deliveries, then `sync-jobs-poison`). */
export const syncWorker: QueueFunction = {
  kind: 'queue',
  name: 'syncWorker',
  queueName: QUEUES.syncJobs,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => (await useCases()).runSyncJob(message, context),
};
