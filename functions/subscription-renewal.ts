import type { TimerFunction } from '../shared/functions/definitions.js';
import { loggerFor } from '../shared/log.js';
import { useCases } from '../shared/root.js';

/** Timer (SUBSCRIPTION_RENEWAL_SCHEDULE): renews Graph subscriptions ahead of expiry (shared/realtime/renewal.ts). */
export const subscriptionRenewal: TimerFunction = {
  kind: 'timer',
  name: 'subscriptionRenewal',
  schedule: '%SUBSCRIPTION_RENEWAL_SCHEDULE%',
  handler: async (_timer, context) => {
    const log = loggerFor(context);
    const result = await (await useCases()).renewSubscriptions(log);
    if (result.due > 0) log.info('subscription renewal', { ...result });
  },
};
