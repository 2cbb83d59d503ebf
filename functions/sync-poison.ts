import type { QueueFunction } from '../shared/functions/definitions.js';
import { loggerFor } from '../shared/log.js';
import { useCases } from '../shared/root.js';
import { QUEUES } from '../shared/storage/names.js';

/** Queue trigger on the poison queue: records the abandoned job on its integration (status `error`). */
export const syncPoison: QueueFunction = {
  kind: 'queue',
  name: 'syncPoison',
  queueName: QUEUES.syncJobsPoison,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => (await useCases()).recordAbandonedJob(message, loggerFor(context)),
};
