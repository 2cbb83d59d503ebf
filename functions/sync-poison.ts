import type { QueueFunction } from '../shared/functions/definitions.js';
import { QUEUES } from '../shared/storage/account.js';
import { handlePoisonJob } from '../shared/sync/worker.js';

/** Queue trigger on the poison queue: records the abandoned job on its integration. */
export const syncPoison: QueueFunction = {
  kind: 'queue',
  name: 'syncPoison',
  queueName: QUEUES.syncJobsPoison,
  connection: 'AzureWebJobsStorage',
  handler: handlePoisonJob,
};
