import type { TimerFunction } from '../shared/functions/definitions.js';
import { loggerFor } from '../shared/log.js';
import { useCases } from '../shared/root.js';

/** Timer (SYNC_SCHEDULE): fans due integrations out onto the sync-jobs queue. */
export const syncTimer: TimerFunction = {
  kind: 'timer',
  name: 'syncTimer',
  schedule: '%SYNC_SCHEDULE%',
  handler: async (_timer, context) => {
    const log = loggerFor(context);
    const result = await (await useCases()).scheduleDueSyncs(log);
    log.info('sync fan-out', { ...result });
  },
};
