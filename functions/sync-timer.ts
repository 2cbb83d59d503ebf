import type { TimerFunction } from '../shared/functions/definitions.js';
import { deps } from '../shared/deps.js';
import { loggerFor } from '../shared/log.js';
import { repositories } from '../shared/services.js';
import { QUEUES } from '../shared/storage/account.js';
import { scheduleDueSyncs } from '../shared/sync/scheduler.js';

/** Timer (SYNC_SCHEDULE): fans due integrations out onto the sync-jobs queue. */
export const syncTimer: TimerFunction = {
  kind: 'timer',
  name: 'syncTimer',
  schedule: '%SYNC_SCHEDULE%',
  handler: async (_timer, context) => {
    const d = await deps();
    const [{ integrations }, table, queue] = await Promise.all([repositories(d), d.storage.table('Integrations'), d.storage.queue(QUEUES.syncJobs)]);
    const result = await scheduleDueSyncs(table, integrations, queue, d.settings.SYNC_INTERVAL_MINUTES, loggerFor(context));
    loggerFor(context).info('sync fan-out', { ...result });
  },
};
