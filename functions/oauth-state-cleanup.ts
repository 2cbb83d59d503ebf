import type { TimerFunction } from '../shared/functions/definitions.js';
import { loggerFor } from '../shared/log.js';
import { lazy } from '../shared/lazy.js';

const app = lazy(() => import('../shared/app.js'));

/** Hourly timer: removes OAuth states of sign-ins that were started and never completed. */
export const oauthStateCleanup: TimerFunction = {
  kind: 'timer',
  name: 'oauthStateCleanup',
  schedule: '0 17 * * * *',
  handler: async (_timer, context) => {
    const { states } = await (await app()).repositories();
    const purged = await states.purgeExpired();
    if (purged) loggerFor(context).info('expired OAuth states purged', { purged });
  },
};
