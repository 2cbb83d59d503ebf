import type { Settings } from '../config.js';
import { createGraphGet } from '../graph/client.js';
import { withMailboxSlots } from '../graph/semaphore.js';
import type { Integration, LastSync } from '../integrations/model.js';
import { purgeIntegrationData } from '../integrations/purge.js';
import type { IntegrationRepository } from '../integrations/repository.js';
import type { Logger } from '../log.js';
import { accessTokenProvider } from '../oauth/access-token.js';
import type { TokenCacheStore } from '../oauth/token-cache-store.js';
import { providers } from '../providers.js';
import type { StorageAccount } from '../storage/account.js';
import { observeSync } from '../telemetry/sync-telemetry.js';
import { LeaseLostError, ReauthRequiredError, ThrottledError, asThrottled, syncErrorCode } from './errors.js';
import type { SyncJob } from './job.js';
import { runStreams } from './run-streams.js';

/** Longer than one page can take: Graph waits in-process are capped at 30 s (graph/client.ts). */
export const LEASE_MS = 10 * 60 * 1000;

export interface SyncPorts {
  settings: Settings;
  storage: StorageAccount;
  integrations: IntegrationRepository;
  tokenCaches: TokenCacheStore;
  log: Logger;
}

export type JobOutcome =
  | { kind: 'succeeded'; upserted: number; deleted: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'reauth_required' }
  | { kind: 'requeue'; delayMs: number };

/** Spreads the next run over ±10% of the interval, so integrations connected together drift apart. */
export function nextSyncAt(now: Date, intervalMinutes: number): string {
  const interval = intervalMinutes * 60_000;
  return new Date(now.getTime() + interval + Math.round((Math.random() - 0.5) * 0.2 * interval)).toISOString();
}

/**
 * Runs one sync job: takes the integration's lease (ETag-guarded, so a duplicate or concurrent job
 * for the same integration backs off), syncs its streams, records the outcome in last_sync.
 * Errors other than throttling and lost consent are rethrown so the queue retries the job; its
 * last error is recorded first so the poison handler can report it.
 */
export async function runSyncJob(ports: SyncPorts, job: SyncJob): Promise<JobOutcome> {
  const { integrations, log } = ports;
  const now = new Date();
  let busy = false;
  const leased = await integrations.update(job.user_key, job.integration_id, (current) => {
    busy = false;
    if (current.status !== 'active') return undefined;
    if (current.lease && Date.parse(current.lease.until) > now.getTime() && current.lease.owner !== job.job_id) {
      busy = true;
      return undefined;
    }
    const lastSync: LastSync = {
      status: 'running',
      sync_type: job.sync_type,
      job_id: job.job_id,
      queued_at: current.lastSync?.job_id === job.job_id ? current.lastSync.queued_at : now.toISOString(),
      started_at: now.toISOString(),
      finished_at: null,
      items_upserted: 0,
      items_deleted: 0,
      error: null,
    };
    return { ...current, lastSync, lease: { owner: job.job_id, until: new Date(now.getTime() + LEASE_MS).toISOString() } };
  });
  if (!leased) {
    // Gone: remove anything a sync still running at DELETE time may have written after the purge.
    await purgeIntegrationData(ports.storage, job.integration_id);
    return { kind: 'skipped', reason: 'integration deleted' };
  }
  if (busy) return { kind: 'skipped', reason: 'another sync holds the lease' };
  if (leased.lease?.owner !== job.job_id) return { kind: 'skipped', reason: `integration is ${leased.status}` };
  // Telemetry: duration, items, failures and reauth of the jobs that hold the lease (no-op when off).
  const observed = observeSync({ provider: leased.provider, sync_type: job.sync_type });

  const finish = (change: (i: Integration) => Integration) =>
    integrations.update(job.user_key, job.integration_id, (current) => (current.lease?.owner === job.job_id ? change({ ...current, lease: null }) : undefined));

  // Renews the lease when half of it is used (or when asked to, before a sweep or a deltaLink
  // save), and stops the job if the lease is no longer its own: another job took over after this
  // one stalled, and two writers on one integration would overwrite each other's checkpoints.
  let heartbeatAt = Date.now();
  const heartbeat = async (force = false) => {
    if (!force && Date.now() - heartbeatAt < LEASE_MS / 2) return;
    heartbeatAt = Date.now();
    const renewed = await integrations.update(job.user_key, job.integration_id, (current) =>
      current.lease?.owner === job.job_id ? { ...current, lease: { owner: job.job_id, until: new Date(Date.now() + LEASE_MS).toISOString() } } : undefined,
    );
    if (!renewed) throw new LeaseLostError('integration deleted during sync');
    if (renewed.lease?.owner !== job.job_id) throw new LeaseLostError('another sync took over the lease');
  };

  try {
    const getToken = accessTokenProvider(ports.settings, ports.tokenCaches, leased, log);
    const totals = await withMailboxSlots(leased.microsoftUserId, ports.settings.GRAPH_MAX_CONCURRENCY_PER_MAILBOX, (slots) => {
      const get = createGraphGet({ baseUrl: ports.settings.GRAPH_BASE_URL, getAccessToken: getToken, mailboxSlots: slots });
      return runStreams({ ...ports, get, heartbeat, log }, leased, job.sync_type, providers[leased.provider].streams);
    });
    const done = new Date();
    const finished = await finish((i) => ({
      ...i,
      lastSync: i.lastSync && { ...i.lastSync, status: 'succeeded', finished_at: done.toISOString(), items_upserted: totals.upserted, items_deleted: totals.deleted },
      nextSyncAt: nextSyncAt(done, ports.settings.SYNC_INTERVAL_MINUTES),
    }));
    if (!finished && !(await integrations.get(job.user_key, job.integration_id))) await purgeIntegrationData(ports.storage, job.integration_id);
    log.info('sync succeeded', { integration_id: job.integration_id, ...totals });
    observed.end({ outcome: 'succeeded', ...totals });
    return { kind: 'succeeded', ...totals };
  } catch (caught) {
    // Throttling met outside a delta page (e.g. fetching a series master) is throttling too.
    const error = asThrottled(caught);
    if (error instanceof LeaseLostError) {
      log.warn('sync stopped: lease lost', { integration_id: job.integration_id, reason: error.message });
      observed.end({ outcome: 'lease_lost', errorCode: 'lease_lost' });
      return { kind: 'skipped', reason: error.message };
    }
    const failure = syncErrorCode(error);
    if (error instanceof ReauthRequiredError) {
      await finish((i) => ({
        ...i,
        status: 'reauth_required',
        statusReason: { code: error.reason, message: 'Microsoft no longer accepts this connection; connect the account again.', at: new Date().toISOString() },
        lastSync: i.lastSync && { ...i.lastSync, status: 'failed', finished_at: new Date().toISOString(), error: failure },
      }));
      log.warn('reauthorization required', { integration_id: job.integration_id, reason: error.reason });
      observed.end({ outcome: 'reauth_required' });
      return { kind: 'reauth_required' };
    }
    // Back to `queued` with the error noted: the queue (or the throttling requeue) runs it again.
    await finish((i) => ({ ...i, lastSync: i.lastSync && { ...i.lastSync, status: 'queued', started_at: null, error: failure } })).catch(() => undefined);
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
