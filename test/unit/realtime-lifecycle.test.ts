import { describe, expect, it } from 'vitest';
import {
  cadenceMinutes,
  connected,
  notified,
  queued,
  started,
  succeeded,
} from '../../shared/integrations/lifecycle.js';
import { REALTIME_OFF, type Integration } from '../../shared/integrations/model.js';
import { clientStateMatches, hashClientState, newClientState } from '../../shared/realtime/client-state.js';
import { settle, withRealtime } from '../../shared/realtime/state.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const job = { job_id: 'job-1', sync_type: 'calendar' as const };
const hintJob = { job_id: 'hint', sync_type: 'calendar' as const };
const profile = {
  account: { email: 'ada@contoso.example', displayName: 'Ada', tenantId: 'tenant-1' },
  microsoftUserId: 'oid-1',
  homeAccountId: 'oid-1.tenant-1',
  scopes: ['Calendars.Read', 'User.Read'],
};
const idle = (): Integration =>
  connected({ id: 'id-1', userKey: 'user-1', provider: 'microsoft_calendar' }, profile, T0);
const running = () => started(queued(idle(), job, T0)!, job, at(1000))!;
const hint = (ms: number) => ({ receivedAt: at(ms), syncType: 'calendar' as const });

describe('notified: notifications collapse into the rounds they need', () => {
  it('idle: queues the round', () => {
    const next = notified(idle(), hint(0), hintJob, at(10))!;
    expect(next.lastSync).toMatchObject({ status: 'queued', job_id: 'hint' });
  });

  it('a job queued: nothing (it has not read Graph yet)', () => {
    expect(notified(queued(idle(), job, T0)!, hint(500), hintJob, at(600))).toBeUndefined();
  });

  it('a job running that started after the receipt: nothing; before it: one follow-up mark, kept once', () => {
    const r = running(); // started at +1000
    expect(notified(r, hint(900), hintJob, at(1100))).toBeUndefined();
    const marked = notified(r, hint(1200), hintJob, at(1300))!;
    expect(marked.followUp).toEqual({ sync_type: 'calendar', since: at(1200).toISOString() });
    expect(marked.lastSync?.job_id).toBe('job-1');
    // More of the same: no change at all (no write), the earliest receipt kept.
    expect(notified(marked, hint(1500), hintJob, at(1600))).toBeUndefined();
  });

  it('the round that ran after the receipt covers it, even when done', () => {
    const done = succeeded(running(), 'job-1', { upserted: 1, deleted: 0 }, at(2000), at(60_000).toISOString())!;
    expect(notified(done, hint(900), hintJob, at(2100))).toBeUndefined();
    expect(notified(done, hint(2050), hintJob, at(2100))!.lastSync?.job_id).toBe('hint');
  });

  it('success with a mark queues exactly one follow-up in the same write and clears the mark', () => {
    const marked = notified(running(), hint(1200), hintJob, at(1300))!;
    const follow = { job_id: 'follow', sync_type: 'calendar' as const };
    const done = succeeded(
      marked,
      'job-1',
      { upserted: 1, deleted: 0 },
      at(2000),
      at(60_000).toISOString(),
      () => follow,
    )!;
    expect(done.followUp).toBeNull();
    expect(done.lease).toBeNull();
    expect(done.lastSync).toMatchObject({ status: 'queued', job_id: 'follow' });
    // Without a mark: succeeded as before, the factory not called.
    const plain = succeeded(running(), 'job-1', { upserted: 1, deleted: 0 }, at(2000), at(60_000).toISOString(), () => {
      throw new Error('not called');
    })!;
    expect(plain.lastSync?.status).toBe('succeeded');
  });

  it('not synced (reauth_required): nothing', () => {
    expect(notified({ ...idle(), status: 'reauth_required' }, hint(0), hintJob, at(10))).toBeUndefined();
  });
});

describe('realtime status and cadence', () => {
  const settings = { SYNC_INTERVAL_MINUTES: 15, SYNC_RECONCILE_HOURS: 6 };
  const sub = { id: 's1', expiresAt: at(7 * 24 * 3600_000).toISOString() };
  it('active once every expected stream holds a live subscription; pending before; off without streams', () => {
    expect(settle(REALTIME_OFF, { expected: ['calendar'] }, T0).status).toBe('pending');
    expect(settle(REALTIME_OFF, { expected: ['calendar'], set: { calendar: sub } }, T0).status).toBe('active');
    expect(settle(REALTIME_OFF, { expected: ['calendar', 'mail:inbox'], set: { calendar: sub } }, T0).status).toBe(
      'pending',
    );
    expect(settle(REALTIME_OFF, { expected: [] }, T0).status).toBe('off');
    const expired = { id: 's1', expiresAt: at(-1).toISOString() };
    expect(settle(REALTIME_OFF, { expected: ['calendar'], set: { calendar: expired } }, T0).status).toBe('pending');
  });

  it('a refused creation degrades at once; renewal failures after three in a row; success clears it', () => {
    const active = settle(REALTIME_OFF, { expected: ['calendar'], set: { calendar: sub } }, T0);
    const refused = settle(active, { expected: ['calendar'], failure: { code: 'x', message: 'm', now: true } }, T0);
    expect([refused.status, refused.reason?.code]).toEqual(['degraded', 'x']);
    let s = active;
    for (let i = 0; i < 2; i++)
      s = settle(s, { expected: ['calendar'], failure: { code: 'r', message: 'm', now: false } }, T0);
    expect(s.status).toBe('active');
    s = settle(s, { expected: ['calendar'], failure: { code: 'r', message: 'm', now: false } }, T0);
    expect(s.status).toBe('degraded');
    expect(settle(s, { expected: ['calendar'], set: { calendar: sub } }, T0)).toMatchObject({
      status: 'active',
      reason: null,
      failures: 0,
    });
  });

  it('active polls every SYNC_RECONCILE_HOURS, otherwise SYNC_INTERVAL_MINUTES; entering degraded pulls the next poll in', () => {
    const active = withRealtime(
      { ...idle(), nextSyncAt: at(6 * 3600_000).toISOString() },
      { expected: ['calendar'], set: { calendar: sub } },
      T0,
      15,
    );
    expect(cadenceMinutes(active, settings)).toBe(360);
    expect(active.nextSyncAt).toBe(at(6 * 3600_000).toISOString());
    const degraded = withRealtime(
      active,
      { expected: ['calendar'], failure: { code: 'x', message: 'm', now: true } },
      T0,
      15,
    );
    expect(cadenceMinutes(degraded, settings)).toBe(15);
    expect(degraded.nextSyncAt).toBe(at(15 * 60_000).toISOString());
    expect(cadenceMinutes(idle(), settings)).toBe(15);
  });
});

describe('clientState', () => {
  it('256 random bits, kept as SHA-256, compared in constant time; absent or wrong never matches', () => {
    const state = newClientState();
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    const hash = hashClientState(state);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(clientStateMatches(state, hash)).toBe(true);
    expect(clientStateMatches(`${state}x`, hash)).toBe(false);
    expect(clientStateMatches(null, hash)).toBe(false);
    expect(clientStateMatches(undefined, hashClientState(''))).toBe(false);
    expect(clientStateMatches(state, 'broken')).toBe(false);
  });
});

describe('telemetry names (CONTRACTS.md §6: ops queries these)', () => {
  it('the real-time metrics keep their agreed keys and names', async () => {
    const { METRICS } = await import('../../shared/telemetry/metrics.js');
    expect({
      notificationsReceived: METRICS.notificationsReceived,
      notificationsDropped: METRICS.notificationsDropped,
      notificationLatency: METRICS.notificationLatency,
      subscriptionFailures: METRICS.subscriptionFailures,
      realtimeDegraded: METRICS.realtimeDegraded,
    }).toEqual({
      notificationsReceived: 'notifications.received',
      notificationsDropped: 'notifications.dropped',
      notificationLatency: 'notifications.latency',
      subscriptionFailures: 'subscriptions.failures',
      realtimeDegraded: 'realtime.degraded',
    });
  });
});
