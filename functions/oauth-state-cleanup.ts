import type { TimerFunction } from '../shared/functions/definitions.js';
import { loggerFor } from '../shared/log.js';
import { useCases } from '../shared/root.js';

/** Hourly timer: removes OAuth states of sign-ins that were started and never completed. */
export const oauthStateCleanup: TimerFunction = {
  kind: 'timer',
  name: 'oauthStateCleanup',
  schedule: '0 17 * * * *',
  handler: async (_timer, context) => {
    const purged = await (await useCases()).purgeExpiredStates();
    if (purged) loggerFor(context).info('expired OAuth states purged', { purged });
  },
};
