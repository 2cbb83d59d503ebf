import type { Integration } from '../integrations/model.js';
import { realtimeOf } from '../integrations/model.js';
import type { Logger } from '../log.js';
import type { RoundHooks } from '../sync/run-job.js';
import { recordRealtimeDegraded } from '../telemetry/metrics.js';
import { ensureSubscriptions, forgetSubscriptions, sessionOf, type RealtimePorts } from './manage.js';
import { settle, withRealtime, type RealtimeChange } from './state.js';

/**
 * Rounds caused by notifications start at least this long after the previous round of the same
 * integration started (a follow-up round, or a new one right after a round). A lone change after a
 * quiet spell is synced at once; a burst — 50 messages moved, a series edited, Graph's ~3
 * notifications per change — collapses into one round per 3 s: 50 changes over 5 s take at most 3
 * rounds (one at once, one ~3 s later for what came meanwhile, one for the tail), whatever their number.
 */
export const ROUND_GAP_MS = 3_000;

/** The sync job's real-time hooks (run-job.ts): subscriptions created after a round, forgotten on lost consent. */
export function roundHooks(ports: Omit<RealtimePorts, 'log'>): RoundHooks {
  const changeOf = (integration: Integration, change: RealtimeChange) => {
    const now = new Date();
    const before = realtimeOf(integration);
    const after = settle(before, change, now);
    if (before.status !== 'degraded' && after.status === 'degraded') recordRealtimeDegraded(change.failure?.code ?? '');
    return (current: Integration) => withRealtime(current, change, now, ports.settings.SYNC_INTERVAL_MINUTES);
  };
  return {
    roundGapMs: ROUND_GAP_MS,
    async afterStreams(integration, graph, log: Logger) {
      try {
        const session = sessionOf(ports.settings, graph.getToken, graph.slots);
        return changeOf(integration, await ensureSubscriptions({ ...ports, log }, integration, session));
      } catch (error) {
        // Subscriptions never fail a sync: the next round tries again.
        log.warn('subscriptions not ensured', { integration_id: integration.id, error });
        return (current: Integration) => current;
      }
    },
    async onReauthRequired(integration, log: Logger) {
      return changeOf(integration, await forgetSubscriptions({ ...ports, log }, integration));
    },
  };
}
