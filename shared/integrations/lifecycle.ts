import type { SyncType } from '../providers.js';
import { realtimeOf, type Integration, type IntegrationStatus, type LastSync, type StatusReason } from './model.js';

// Every change of an integration's state, as pure functions of the row as it stands: the
// repository's update() applies one under the row's ETag and, when it lost a race, re-applies it
// to the row as it now is. A transition that does not apply to that row returns undefined (the
// row is then left as it is). Times come in as arguments, so each one is testable on its own.

/** A queued job that never started (lost message, crashed enqueue) no longer blocks a new one after this. */
export const STALE_QUEUED_MS = 15 * 60 * 1000;

/** Longer than one page can take: Graph waits in-process are capped at 30 s (graph/client.ts). */
export const LEASE_MS = 10 * 60 * 1000;

/** The job a transition is about: the queue message's ids. */
export interface JobRef {
  job_id: string;
  sync_type: SyncType;
}

/** What a sync that ran to the end wrote. */
export interface SyncTotals {
  upserted: number;
  deleted: number;
}

/** A failure as last_sync.error and status_reason show it: a stable code and a safe message. */
export interface Failure {
  code: string;
  message: string;
}

/** What a new connection knows of the Microsoft account (from the token answer) and what it was asked for. */
export interface AccountProfile {
  account: Integration['account'];
  microsoftUserId: string;
  homeAccountId: string;
  /** The scopes Microsoft granted (the token response's `scope`), not those asked for. */
  scopes: string[];
  /** Default `read`: what a profile without one (older callers, tests) connected with. */
  access?: Integration['access'];
  sharedCalendars?: boolean;
}

const REAUTH_MESSAGE = 'Microsoft no longer accepts this connection; connect the account again.';
const ABANDONED: Failure = { code: 'sync_failed', message: 'The sync failed repeatedly and was abandoned.' };

/** Statuses whose integrations are synced: `error` too, so that a sync that succeeds can clear it. */
export const SYNCABLE_STATUSES: readonly IntegrationStatus[] = ['active', 'error'];
export const canSync = (integration: Pick<Integration, 'status'>): boolean =>
  SYNCABLE_STATUSES.includes(integration.status);

/** The one way a LastSync is made: a job's record at the moment it is queued or started. */
export function newLastSync(
  job: JobRef,
  status: 'queued' | 'running',
  at: { queuedAt: Date | string; startedAt?: Date },
): LastSync {
  return {
    status,
    sync_type: job.sync_type,
    job_id: job.job_id,
    queued_at: typeof at.queuedAt === 'string' ? at.queuedAt : at.queuedAt.toISOString(),
    started_at: at.startedAt ? at.startedAt.toISOString() : null,
    finished_at: null,
    items_upserted: 0,
    items_deleted: 0,
    error: null,
  };
}

/** Whether a sync of this integration is queued or running right now (so no second one is queued). */
export function syncInFlight(integration: Integration, now: Date): boolean {
  const last = integration.lastSync;
  if (last?.status === 'running')
    return Boolean(integration.lease && Date.parse(integration.lease.until) > now.getTime());
  if (last?.status === 'queued') return Date.parse(last.queued_at) > now.getTime() - STALE_QUEUED_MS;
  return false;
}

/** Spreads the next run over ±10% of the interval, so integrations connected together drift apart. */
export function nextSyncAfter(now: Date, intervalMinutes: number, random: () => number = Math.random): string {
  const interval = intervalMinutes * 60_000;
  return new Date(now.getTime() + interval + Math.round((random() - 0.5) * 0.2 * interval)).toISOString();
}

/**
 * Minutes to the next scheduled sync: with real time active, polling is only the reconciliation
 * (SYNC_RECONCILE_HOURS); pending, degraded or off integrations poll at SYNC_INTERVAL_MINUTES.
 */
export function cadenceMinutes(
  integration: Pick<Integration, 'realtime'>,
  settings: { SYNC_INTERVAL_MINUTES: number; SYNC_RECONCILE_HOURS: number },
): number {
  return realtimeOf(integration).status === 'active'
    ? settings.SYNC_RECONCILE_HOURS * 60
    : settings.SYNC_INTERVAL_MINUTES;
}

/**
 * A change notification for one of the integration's streams, received at `receivedAt`: a hint
 * that a delta round is due. Collapses into the round it needs:
 * - a job queued, or one that started after the receipt (it reads the change): nothing to do;
 * - a job running that started before the receipt: the follow-up mark (one round when it ends);
 * - otherwise: `job` is queued (the caller sends its message when lastSync names it).
 */
export function notified(
  current: Integration,
  hint: { receivedAt: Date; syncType: SyncType },
  job: JobRef,
  now: Date,
): Integration | undefined {
  if (!canSync(current)) return undefined;
  const last = current.lastSync;
  const startedAt = last?.started_at ? Date.parse(last.started_at) : undefined;
  const inFlight = syncInFlight(current, now);
  if (inFlight && last?.status === 'queued') return undefined;
  const covers = last && (last.sync_type === 'full' || last.sync_type === hint.syncType);
  if (covers && startedAt !== undefined && startedAt > hint.receivedAt.getTime()) {
    if (last.status === 'running' || last.status === 'succeeded') return undefined;
  }
  if (inFlight) {
    const mark = current.followUp;
    const sync_type = mark && mark.sync_type !== hint.syncType ? 'full' : hint.syncType;
    const since =
      mark && Date.parse(mark.since) <= hint.receivedAt.getTime() ? mark.since : hint.receivedAt.toISOString();
    if (mark && mark.sync_type === sync_type && mark.since === since) return undefined;
    return { ...current, followUp: { sync_type, since } };
  }
  return { ...current, lastSync: newLastSync(job, 'queued', { queuedAt: now }) };
}

const leaseFrom = (jobId: string, now: Date) => ({
  owner: jobId,
  until: new Date(now.getTime() + LEASE_MS).toISOString(),
});
const holds = (current: Integration, jobId: string) => current.lease?.owner === jobId;

/** A brand-new integration for a connected account: active, due at once, never synced. */
export function connected(
  key: Pick<Integration, 'id' | 'userKey' | 'provider'>,
  profile: AccountProfile,
  now: Date,
): Integration {
  const at = now.toISOString();
  return {
    ...key,
    status: 'active',
    ...profile,
    createdAt: at,
    updatedAt: at,
    lastSync: null,
    nextSyncAt: at,
    statusReason: null,
    lease: null,
  };
}

/**
 * The same account connected again (or a tombstone's account connected anew): active, due at
 * once; a job still running for the old grant loses its lease and so cannot write its outcome.
 */
export function reconnected(current: Integration, profile: AccountProfile, now: Date): Integration {
  return {
    ...current,
    ...profile,
    access: profile.access ?? current.access,
    sharedCalendars: profile.sharedCalendars ?? current.sharedCalendars,
    status: 'active',
    statusReason: null,
    nextSyncAt: now.toISOString(),
    lease: null,
  };
}

/** Queues a job, unless one is queued or running already. */
export function queued(current: Integration, job: JobRef, now: Date, nextSyncAt?: string): Integration | undefined {
  if (syncInFlight(current, now)) return undefined;
  return {
    ...current,
    lastSync: newLastSync(job, 'queued', { queuedAt: now }),
    nextSyncAt: nextSyncAt ?? current.nextSyncAt,
  };
}

/** Undoes {@link queued} when the message could not be sent: nobody then waits on a job that does not exist. */
export function unqueued(
  current: Integration,
  jobId: string,
  before: Pick<Integration, 'lastSync' | 'nextSyncAt'>,
): Integration | undefined {
  if (current.lastSync?.job_id !== jobId) return undefined;
  return { ...current, lastSync: before.lastSync, nextSyncAt: before.nextSyncAt };
}

/** The job takes the lease, unless the integration is not synced or another live job holds it. */
export function started(current: Integration, job: JobRef, now: Date): Integration | undefined {
  if (!canSync(current)) return undefined;
  if (current.lease && Date.parse(current.lease.until) > now.getTime() && !holds(current, job.job_id)) return undefined;
  const queuedAt = current.lastSync?.job_id === job.job_id ? current.lastSync.queued_at : now;
  return {
    ...current,
    lastSync: newLastSync(job, 'running', { queuedAt, startedAt: now }),
    lease: leaseFrom(job.job_id, now),
  };
}

/** Heartbeat: the lease is extended while the job still holds it. */
export function renewed(current: Integration, jobId: string, now: Date): Integration | undefined {
  return holds(current, jobId) ? { ...current, lease: leaseFrom(jobId, now) } : undefined;
}

/**
 * The job finished: last_sync succeeded with its counts; an integration in `error` is active again.
 * When notifications marked a follow-up during the run, `followUp` is queued in the same write
 * instead (last_sync shows it queued; the caller sends its message).
 */
export function succeeded(
  current: Integration,
  jobId: string,
  totals: SyncTotals,
  now: Date,
  nextSyncAt: string,
  followUp?: (mark: NonNullable<Integration['followUp']>) => JobRef,
): Integration | undefined {
  if (!holds(current, jobId)) return undefined;
  const recovered = current.status === 'error' ? { status: 'active' as const, statusReason: null } : {};
  if (current.followUp && followUp) {
    return {
      ...current,
      ...recovered,
      lease: null,
      followUp: null,
      lastSync: newLastSync(followUp(current.followUp), 'queued', { queuedAt: now }),
      nextSyncAt,
    };
  }
  return {
    ...current,
    ...recovered,
    lease: null,
    lastSync: current.lastSync && {
      ...current.lastSync,
      status: 'succeeded',
      finished_at: now.toISOString(),
      items_upserted: totals.upserted,
      items_deleted: totals.deleted,
    },
    nextSyncAt,
  };
}

/** The job failed and will run again (queue retry or throttling requeue): back to `queued`, the error noted. */
export function failed(current: Integration, jobId: string, failure: Failure): Integration | undefined {
  if (!holds(current, jobId)) return undefined;
  return {
    ...current,
    lease: null,
    lastSync: current.lastSync && { ...current.lastSync, status: 'queued', started_at: null, error: failure },
  };
}

/** Microsoft refused the stored grant: the integration waits for the user to connect again. */
export function reauthRequired(
  current: Integration,
  jobId: string,
  reason: string,
  failure: Failure,
  now: Date,
): Integration | undefined {
  if (!holds(current, jobId)) return undefined;
  const at = now.toISOString();
  return {
    ...current,
    lease: null,
    followUp: null,
    status: 'reauth_required',
    statusReason: { code: reason, message: REAUTH_MESSAGE, at },
    lastSync: current.lastSync && { ...current.lastSync, status: 'failed', finished_at: at, error: failure },
  };
}

/**
 * The poison queue's verdict: the job failed on every delivery and was given up. last_sync shows
 * it failed with its last error, and a syncable integration turns `error` with that error as its
 * reason; it is still synced, and the next sync that succeeds makes it active again.
 */
export function abandoned(current: Integration, jobId: string, now: Date): Integration | undefined {
  const last = current.lastSync;
  if (!last || last.job_id !== jobId || last.status === 'succeeded') return undefined;
  const at = now.toISOString();
  const error = last.error ?? ABANDONED;
  const reason: StatusReason = { code: error.code, message: error.message, at };
  return {
    ...current,
    ...(canSync(current) ? { status: 'error' as const, statusReason: reason } : {}),
    lease: holds(current, jobId) ? null : current.lease,
    lastSync: { ...last, status: 'failed', finished_at: at, error },
  };
}

/** The first step of DELETE: from now on every endpoint answers 404 and no sync writes to it. */
export function disconnected(current: Integration): Integration {
  return { ...current, status: 'disconnected', lease: null };
}
