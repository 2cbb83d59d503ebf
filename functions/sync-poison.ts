import type { QueueFunction } from '../shared/functions/definitions.js';
import { lazy } from '../shared/lazy.js';
import { QUEUES } from '../shared/storage/names.js';

const app = lazy(() => import('../shared/app.js'));

/** Queue trigger on the poison queue: records the abandoned job on its integration. */
export const syncPoison: QueueFunction = {
  kind: 'queue',
  name: 'syncPoison',
  queueName: QUEUES.syncJobsPoison,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => (await app()).handlePoisonJob(message, context),
};
