import type { QueueFunction } from '../shared/functions/definitions.js';
import { loggerFor } from '../shared/log.js';
import { useCases } from '../shared/root.js';
import { QUEUES } from '../shared/storage/names.js';

/** Queue trigger on `notifications-poison`: the integrations of an abandoned batch are made due now. */
export const notificationPoison: QueueFunction = {
  kind: 'queue',
  name: 'notificationPoison',
  queueName: QUEUES.notificationsPoison,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => (await useCases()).recordAbandonedNotifications(message, loggerFor(context)),
};
