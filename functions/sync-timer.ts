import type { TimerFunction } from '../shared/functions/definitions.js';
import { lazy } from '../shared/lazy.js';
import { loggerFor } from '../shared/log.js';
import { QUEUES } from '../shared/storage/names.js';

const app = lazy(() => import('../shared/app.js'));

/** Timer (SYNC_SCHEDULE): fans due integrations out onto the sync-jobs queue. */
export const syncTimer: TimerFunction = {
  kind: 'timer',
  name: 'syncTimer',
  schedule: '%SYNC_SCHEDULE%',
  handler: async (_timer, context) => {
    const { deps, repositories, scheduleDueSyncs } = await app();
    const d = await deps();
    const [{ integrations }, table, queue] = await Promise.all([repositories(d), d.storage.table('Integrations'), d.storage.queue(QUEUES.syncJobs)]);
    const result = await scheduleDueSyncs(table, integrations, queue, d.settings.SYNC_INTERVAL_MINUTES, loggerFor(context));
    loggerFor(context).info('sync fan-out', { ...result });
  },
};
