import { describe, expect, it } from 'vitest';
import {
  abandoned,
  canSync,
  connected,
  disconnected,
  failed,
  LEASE_MS,
  newLastSync,
  nextSyncAfter,
  queued,
  reauthRequired,
  reconnected,
  renewed,
  STALE_QUEUED_MS,
  started,
  succeeded,
  syncInFlight,
  unqueued,
} from '../../shared/integrations/lifecycle.js';
import type { Integration } from '../../shared/integrations/model.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const job = { job_id: 'job-1', sync_type: 'full' as const };
const other = { job_id: 'job-2', sync_type: 'calendar' as const };
const profile = {
  account: { email: 'ada@contoso.example', displayName: 'Ada', tenantId: 'tenant-1' },
  microsoftUserId: 'oid-1',
  homeAccountId: 'oid-1.tenant-1',
  scopes: ['Calendars.Read', 'User.Read'],
};

function integration(overrides: Partial<Integration> = {}): Integration {
  return { ...connected({ id: 'id-1', userKey: 'user-1', provider: 'microsoft_calendar' }, profile, T0), ...overrides };
}
/** An integration as the worker finds it after `job` was queued and started. */
const running = (overrides: Partial<Integration> = {}) =>
  started(queued(integration(overrides), job, T0)!, job, at(1000))!;

describe('the LastSync factory', () => {
  it('makes a queued record with nothing started, finished or counted', () => {
    expect(newLastSync(job, 'queued', { queuedAt: T0 })).toEqual({
      status: 'queued',
      sync_type: 'full',
      job_id: 'job-1',
      queued_at: T0.toISOString(),
      started_at: null,
      finished_at: null,
      items_upserted: 0,
      items_deleted: 0,
      error: null,
    });
  });
  it('makes a running record that keeps the queue time it is given', () => {
    const last = newLastSync(other, 'running', { queuedAt: '2026-03-01T09:00:00.000Z', startedAt: T0 });
    expect(last).toMatchObject({
      status: 'running',
      sync_type: 'calendar',
      queued_at: '2026-03-01T09:00:00.000Z',
      started_at: T0.toISOString(),
    });
  });
});

describe('connect', () => {
  it('a new integration is active, due now, never synced and holds no lease', () => {
    expect(integration()).toMatchObject({
      status: 'active',
      nextSyncAt: T0.toISOString(),
      lastSync: null,
      statusReason: null,
      lease: null,
      createdAt: T0.toISOString(),
    });
  });
  it('a reconnect makes any status active again, due now, and takes the lease from a job of the old grant', () => {
    const before = integration({
      status: 'reauth_required',
      statusReason: { code: 'invalid_grant', message: 'm', at: T0.toISOString() },
      lease: { owner: 'job-1', until: at(LEASE_MS).toISOString() },
    });
    const after = reconnected(before, { ...profile, scopes: ['Calendars.Read'] }, at(5000));
    expect(after).toMatchObject({
      status: 'active',
      statusReason: null,
      lease: null,
      nextSyncAt: at(5000).toISOString(),
      scopes: ['Calendars.Read'],
      createdAt: T0.toISOString(),
    });
  });
});

describe('syncInFlight', () => {
  it('is false for a never-synced integration and after a finished sync', () => {
    expect(syncInFlight(integration(), T0)).toBe(false);
    expect(
      syncInFlight(
        succeeded(running(), 'job-1', { upserted: 1, deleted: 0 }, at(2000), at(60_000).toISOString())!,
        at(3000),
      ),
    ).toBe(false);
  });
  it('is true while queued, until the queued job is stale (lost message): then a new one may be queued', () => {
    const q = queued(integration(), job, T0)!;
    expect(syncInFlight(q, at(STALE_QUEUED_MS - 1))).toBe(true);
    expect(syncInFlight(q, at(STALE_QUEUED_MS))).toBe(false);
  });
  it('is true while running under a live lease, false once the lease has run out (a crashed worker)', () => {
    const r = running();
    expect(syncInFlight(r, at(LEASE_MS))).toBe(true);
    expect(syncInFlight(r, at(1000 + LEASE_MS))).toBe(false);
  });
});

describe('queue', () => {
  it('marks the job queued and moves next_sync_at when told to', () => {
    const q = queued(integration(), job, T0, at(900_000).toISOString())!;
    expect(q.lastSync).toEqual(newLastSync(job, 'queued', { queuedAt: T0 }));
    expect(q.nextSyncAt).toBe(at(900_000).toISOString());
    expect(queued(integration(), job, T0)!.nextSyncAt).toBe(T0.toISOString());
  });
  it('does not queue a second job while one is in flight', () => {
    expect(queued(queued(integration(), job, T0)!, other, at(1000))).toBeUndefined();
    expect(queued(running(), other, at(2000))).toBeUndefined();
  });
  it('a failed send puts last_sync and next_sync_at back, unless another job was queued meanwhile', () => {
    const before = integration();
    const q = queued(before, job, T0, at(900_000).toISOString())!;
    expect(unqueued(q, 'job-1', before)).toMatchObject({ lastSync: null, nextSyncAt: before.nextSyncAt });
    expect(unqueued(q, 'job-2', before)).toBeUndefined();
  });
});

describe('start (the lease)', () => {
  it('takes the lease for LEASE_MS and keeps the queue time of its own queued record', () => {
    const r = running();
    expect(r.lease).toEqual({ owner: 'job-1', until: at(1000 + LEASE_MS).toISOString() });
    expect(r.lastSync).toMatchObject({
      status: 'running',
      job_id: 'job-1',
      queued_at: T0.toISOString(),
      started_at: at(1000).toISOString(),
    });
  });
  it('a job that was never marked queued (a requeue, a duplicate) starts with its start as queue time', () => {
    expect(started(integration(), other, at(1000))!.lastSync).toMatchObject({
      job_id: 'job-2',
      queued_at: at(1000).toISOString(),
    });
  });
  it('backs off from a live lease of another job, takes over an expired one, and re-takes its own', () => {
    const r = running();
    expect(started(r, other, at(2000))).toBeUndefined();
    expect(started(r, other, at(1000 + LEASE_MS + 1))!.lease?.owner).toBe('job-2');
    expect(started(r, job, at(2000))!.lease?.owner).toBe('job-1');
  });
  it('starts on active and error integrations only', () => {
    expect(started(integration({ status: 'error' }), job, T0)).toBeDefined();
    for (const status of ['reauth_required', 'disconnected'] as const) {
      expect(started(integration({ status }), job, T0), status).toBeUndefined();
      expect(canSync(integration({ status })), status).toBe(false);
    }
  });
});

describe('renew (heartbeat)', () => {
  it('extends the lease of the job that holds it, and of no other', () => {
    const r = running();
    expect(renewed(r, 'job-1', at(300_000))!.lease).toEqual({
      owner: 'job-1',
      until: at(300_000 + LEASE_MS).toISOString(),
    });
    expect(renewed(r, 'job-2', at(300_000))).toBeUndefined();
    expect(renewed(disconnected(r), 'job-1', at(300_000))).toBeUndefined();
  });
});

describe('succeed', () => {
  it('releases the lease and records the counts, the finish time and the next run', () => {
    const done = succeeded(running(), 'job-1', { upserted: 7, deleted: 2 }, at(5000), at(900_000).toISOString())!;
    expect(done.lease).toBeNull();
    expect(done.nextSyncAt).toBe(at(900_000).toISOString());
    expect(done.lastSync).toMatchObject({
      status: 'succeeded',
      finished_at: at(5000).toISOString(),
      items_upserted: 7,
      items_deleted: 2,
      error: null,
    });
    expect(done.status).toBe('active');
  });
  it('turns an integration in error active again, with no reason left', () => {
    const inError = running({
      status: 'error',
      statusReason: { code: 'graph_unavailable', message: 'm', at: T0.toISOString() },
    });
    expect(succeeded(inError, 'job-1', { upserted: 0, deleted: 0 }, at(5000), at(9000).toISOString())).toMatchObject({
      status: 'active',
      statusReason: null,
    });
  });
  it('writes nothing for a job that lost its lease', () => {
    expect(
      succeeded(running(), 'job-2', { upserted: 1, deleted: 0 }, at(5000), at(9000).toISOString()),
    ).toBeUndefined();
    expect(
      succeeded(
        reconnected(running(), profile, at(2000)),
        'job-1',
        { upserted: 1, deleted: 0 },
        at(5000),
        at(9000).toISOString(),
      ),
    ).toBeUndefined();
  });
});

describe('fail (to be retried)', () => {
  it('goes back to queued with the error noted, the lease released and the status unchanged', () => {
    const error = { code: 'graph_unavailable', message: 'Microsoft Graph answered 500.' };
    const f = failed(running(), 'job-1', error)!;
    expect(f).toMatchObject({ status: 'active', lease: null });
    expect(f.lastSync).toMatchObject({ status: 'queued', started_at: null, error });
    expect(failed(running(), 'job-2', error)).toBeUndefined();
  });
});

describe('require reauth', () => {
  it('marks the integration reauth_required with the reason, last_sync failed', () => {
    const error = { code: 'reauth_required', message: 'connect again' };
    const r = reauthRequired(running(), 'job-1', 'invalid_grant', error, at(5000))!;
    expect(r).toMatchObject({
      status: 'reauth_required',
      lease: null,
      statusReason: { code: 'invalid_grant', at: at(5000).toISOString() },
    });
    expect(r.lastSync).toMatchObject({ status: 'failed', finished_at: at(5000).toISOString(), error });
    expect(queued(r, other, at(6000))).toBeDefined(); // queueing itself is refused by requestSync, not here
    expect(started(r, other, at(6000))).toBeUndefined();
    expect(reauthRequired(running(), 'job-2', 'invalid_grant', error, at(5000))).toBeUndefined();
  });
});

describe('abandon (the poison queue)', () => {
  const error = { code: 'graph_unavailable', message: 'Microsoft Graph answered 500.' };
  it('turns the integration error with the last error as reason, last_sync failed, the lease released', () => {
    const retried = failed(running(), 'job-1', error)!;
    const a = abandoned(retried, 'job-1', at(9000))!;
    expect(a.status).toBe('error');
    expect(a.statusReason).toEqual({ ...error, at: at(9000).toISOString() });
    expect(a.lastSync).toMatchObject({ status: 'failed', finished_at: at(9000).toISOString(), error });
    expect(a.lease).toBeNull();
    expect(canSync(a)).toBe(true); // still synced: the next success clears it
  });
  it('names a generic failure when no error was recorded (the worker died before it could)', () => {
    const a = abandoned(running(), 'job-1', at(9000))!;
    expect(a.lastSync?.error?.code).toBe('sync_failed');
    expect(a.statusReason?.code).toBe('sync_failed');
    expect(a.lease).toBeNull();
  });
  it("keeps another job's lease, and leaves reauth_required and disconnected as they are", () => {
    const takenOver = {
      ...failed(running(), 'job-1', error)!,
      lease: { owner: 'job-2', until: at(LEASE_MS).toISOString() },
    };
    expect(abandoned(takenOver, 'job-1', at(9000))!.lease?.owner).toBe('job-2');
    for (const status of ['reauth_required', 'disconnected'] as const) {
      const a = abandoned({ ...failed(running(), 'job-1', error)!, status }, 'job-1', at(9000))!;
      expect(a.status, status).toBe(status);
      expect(a.lastSync?.status, status).toBe('failed');
    }
  });
  it('ignores a job that is not the last one, and a job that succeeded after all', () => {
    expect(abandoned(failed(running(), 'job-1', error)!, 'job-2', at(9000))).toBeUndefined();
    expect(
      abandoned(
        succeeded(running(), 'job-1', { upserted: 0, deleted: 0 }, at(5000), at(9000).toISOString())!,
        'job-1',
        at(9000),
      ),
    ).toBeUndefined();
    expect(abandoned(integration(), 'job-1', at(9000))).toBeUndefined();
  });
});

describe('disconnect', () => {
  it('marks the row disconnected and drops the lease, so a running job stops at its next renewal', () => {
    const d = disconnected(running());
    expect(d).toMatchObject({ status: 'disconnected', lease: null });
    expect(canSync(d)).toBe(false);
  });
});

describe('nextSyncAfter', () => {
  it('is the interval later, spread over ±10%', () => {
    expect(nextSyncAfter(T0, 15, () => 0.5)).toBe(at(15 * 60_000).toISOString());
    expect(nextSyncAfter(T0, 15, () => 0)).toBe(at(15 * 60_000 * 0.9).toISOString());
    expect(nextSyncAfter(T0, 15, () => 1)).toBe(at(15 * 60_000 * 1.1).toISOString());
  });
});
