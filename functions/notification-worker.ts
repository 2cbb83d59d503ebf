import type { QueueFunction } from '../shared/functions/definitions.js';
import { loggerFor } from '../shared/log.js';
import { useCases } from '../shared/root.js';
import { QUEUES } from '../shared/storage/names.js';

/** Queue trigger: notifications accepted by the endpoints become delta rounds (host.json: 5 deliveries, then poison). */
export const notificationWorker: QueueFunction = {
  kind: 'queue',
  name: 'notificationWorker',
  queueName: QUEUES.notifications,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => (await useCases()).handleNotifications(message, loggerFor(context)),
};
