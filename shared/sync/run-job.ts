import type { Settings } from '../config.js';
import { createGraphGet } from '../graph/client.js';
import { withMailboxSlots } from '../graph/semaphore.js';
import {
  cadenceMinutes,
  canSync,
  failed,
  LEASE_MS,
  nextSyncAfter,
  reauthRequired,
  renewed,
  started,
  succeeded,
} from '../integrations/lifecycle.js';
import type { Integration } from '../integrations/model.js';
import { purgeIntegrationData } from '../integrations/purge.js';
import type { IntegrationRepository } from '../integrations/repository.js';
import type { Logger } from '../log.js';
import { accessTokenProvider } from '../oauth/access-token.js';
import { ReauthRequiredError } from '../oauth/reauth-required.js';
import type { TokenCacheStore } from '../oauth/token-cache-store.js';
import { providers } from '../providers.js';
import type { StorageAccount } from '../storage/account.js';
import { observeSync } from '../telemetry/sync-telemetry.js';
import type { Semaphore } from '../graph/semaphore.js';
import { recordNotificationLatency } from '../telemetry/metrics.js';
import { LeaseLostError, ThrottledError, asThrottled, syncErrorCode } from './errors.js';
import { newJob, type SyncJob } from './job.js';
import { runStreams } from './run-streams.js';

/** What running a job needs. */
export interface SyncPorts {
  settings: Settings;
  storage: StorageAccount;
  integrations: IntegrationRepository;
  tokenCaches: TokenCacheStore;
  log: Logger;
  /** Real time (shared/realtime, wired by compose.ts): subscriptions follow the rounds. */
  realtime?: RoundHooks;
}

/** What a round's Graph access is, for a hook that calls Graph itself (subscriptions). */
export interface RoundGraph {
  getToken: () => Promise<string>;
  slots: Semaphore;
}

/** How real time hooks into a job; each returns the change it makes to the integration row. */
export interface RoundHooks {
  /** After every stream reached its deltaLink: creates missing subscriptions (never throws). */
  afterStreams(
    integration: Integration,
    graph: RoundGraph,
    log: Logger,
  ): Promise<(current: Integration) => Integration>;
  /** Microsoft refused the grant: the integration's subscriptions are forgotten (no token to delete them). */
  onReauthRequired(integration: Integration, log: Logger): Promise<(current: Integration) => Integration>;
  /** A follow-up round starts at least this long after the start of the round it follows (collapses bursts). */
  roundGapMs: number;
}

export type JobOutcome =
  | { kind: 'succeeded'; upserted: number; deleted: number; followUp?: { job: SyncJob; delayMs: number } }
  | { kind: 'skipped'; reason: string }
  | { kind: 'reauth_required' }
  | { kind: 'requeue'; delayMs: number };

/**
 * Runs one sync job: takes the integration's lease (ETag-guarded, so a duplicate or concurrent job
 * for the same integration backs off), syncs its streams, records the outcome in last_sync.
 * Errors other than throttling and lost consent are rethrown so the queue retries the job; its
 * last error is recorded first so the poison handler can report it.
 */
export async function runSyncJob(ports: SyncPorts, job: SyncJob): Promise<JobOutcome> {
  const { integrations, log } = ports;
  const found = await integrations.get(job.user_key, job.integration_id);
  // No row under this user key: nothing is purged. The message names the user key, and a wrong one
  // must not reach another user's data; what a disconnect leaves behind its tombstone names.
  if (!found) return { kind: 'skipped', reason: 'no such integration' };
  const leased = await integrations.update(found, (current) => started(current, job, new Date()));
  if (!leased) return { kind: 'skipped', reason: 'integration deleted' };
  if (leased.status === 'disconnected') {
    // A tombstone under this user key: DELETE is under way or stopped half-way; finish its purge.
    await purgeIntegrationData(ports.storage, job.integration_id);
    return { kind: 'skipped', reason: 'integration disconnected' };
  }
  if (leased.lease?.owner !== job.job_id) {
    const reason = canSync(leased) ? 'another sync holds the lease' : `integration is ${leased.status}`;
    return { kind: 'skipped', reason };
  }
  const startedAt = Date.now();
  // Telemetry: duration, items, failures and reauth of the jobs that hold the lease (no-op when off).
  const observed = observeSync({ provider: leased.provider, sync_type: job.sync_type });

  // The row as this job last wrote it: each write goes out under its ETag without a read first.
  let known: Integration = leased;
  const write = async (change: (current: Integration) => Integration | undefined) => {
    const written = await integrations.update(known, change);
    if (written) known = written;
    return written;
  };
  // The row is gone or a tombstone: the integration was this user's (the lease proved it), and a
  // DELETE is removing it; whatever this job wrote after the DELETE's purge goes too.
  const purgeIfDisconnected = async (row: Integration | undefined) => {
    if (!row || row.status === 'disconnected') await purgeIntegrationData(ports.storage, job.integration_id);
  };

  // Renews the lease when half of it is used (or when asked to, before a sweep or a deltaLink
  // save), and stops the job if the lease is no longer its own: another job took over after this
  // one stalled, and two writers on one integration would overwrite each other's checkpoints.
  let heartbeatAt = Date.now();
  const heartbeat = async (force = false) => {
    if (!force && Date.now() - heartbeatAt < LEASE_MS / 2) return;
    heartbeatAt = Date.now();
    const renewal = await write((current) => renewed(current, job.job_id, new Date()));
    if (!renewal) throw new LeaseLostError('integration deleted during sync', true);
    if (renewal.lease?.owner !== job.job_id) {
      const gone = renewal.status === 'disconnected';
      const reason = gone ? 'integration disconnected during sync' : 'another sync took over the lease';
      throw new LeaseLostError(reason, gone);
    }
  };

  try {
    const getToken = accessTokenProvider(ports.settings, ports.tokenCaches, leased, log);
    const { totals, realtimeChange } = await withMailboxSlots(
      leased.microsoftUserId,
      ports.settings.GRAPH_MAX_CONCURRENCY_PER_MAILBOX,
      async (slots) => {
        const get = createGraphGet({
          baseUrl: ports.settings.GRAPH_BASE_URL,
          getAccessToken: getToken,
          mailboxSlots: slots,
        });
        const streams = providers[leased.provider].streams;
        const totals = await runStreams({ ...ports, get, heartbeat, log }, leased, job.sync_type, streams);
        const realtimeChange = await ports.realtime?.afterStreams(known, { getToken, slots }, log);
        return { totals, realtimeChange };
      },
    );
    const done = new Date();
    if (job.notified_at) recordNotificationLatency((done.getTime() - Date.parse(job.notified_at)) / 1000);
    let followUp: SyncJob | undefined;
    const finished = await write((current) => {
      const row = realtimeChange ? realtimeChange(current) : current;
      const next = nextSyncAfter(done, cadenceMinutes(row, ports.settings));
      return succeeded(row, job.job_id, totals, done, next, (mark) => {
        followUp = newJob(job.user_key, job.integration_id, mark.sync_type, mark.since);
        return followUp;
      });
    });
    await purgeIfDisconnected(finished);
    log.info('sync succeeded', { integration_id: job.integration_id, ...totals, follow_up: Boolean(followUp) });
    observed.end({ outcome: 'succeeded', ...totals });
    const queuedFollowUp = followUp && finished?.lastSync?.job_id === followUp.job_id ? followUp : undefined;
    return {
      kind: 'succeeded',
      ...totals,
      ...(queuedFollowUp
        ? {
            followUp: {
              job: queuedFollowUp,
              delayMs: (ports.realtime?.roundGapMs ?? 0) - (done.getTime() - startedAt),
            },
          }
        : {}),
    };
  } catch (caught) {
    // Throttling met outside a delta page (e.g. fetching a series master) is throttling too.
    const error = asThrottled(caught);
    if (error instanceof LeaseLostError) {
      if (error.gone) await purgeIntegrationData(ports.storage, job.integration_id);
      log.warn('sync stopped: lease lost', { integration_id: job.integration_id, reason: error.message });
      observed.end({ outcome: 'lease_lost', errorCode: 'lease_lost' });
      return { kind: 'skipped', reason: error.message };
    }
    const failure = syncErrorCode(error);
    if (error instanceof ReauthRequiredError) {
      const forget = await ports.realtime?.onReauthRequired(known, log).catch(() => undefined);
      await write((current) =>
        reauthRequired(forget ? forget(current) : current, job.job_id, error.reason, failure, new Date()),
      );
      log.warn('reauthorization required', { integration_id: job.integration_id, reason: error.reason });
      observed.end({ outcome: 'reauth_required' });
      return { kind: 'reauth_required' };
    }
    // Back to `queued` with the error noted: the queue (or the throttling requeue) runs it again.
    await write((current) => failed(current, job.job_id, failure)).catch(() => undefined);
    if (error instanceof ThrottledError) {
      log.warn('throttled; job requeued', { integration_id: job.integration_id, retry_after_ms: error.retryAfterMs });
      observed.end({ outcome: 'requeued', errorCode: failure.code });
      return { kind: 'requeue', delayMs: error.retryAfterMs };
    }
    log.error('sync failed', { integration_id: job.integration_id, error_code: failure.code, error });
    observed.end({ outcome: 'failed', errorCode: failure.code });
    throw error;
  }
}
