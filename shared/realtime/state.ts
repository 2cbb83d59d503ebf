import type { Integration, RealtimeState } from '../integrations/model.js';
import { realtimeOf } from '../integrations/model.js';

// The integration's `realtime` as pure changes of the row (applied by the repository's ETag-guarded
// update, re-applied on a lost race): which subscription each stream holds, and the status the
// view shows (API.md: off | pending | active | degraded).

/** Consecutive renewal failures before `degraded` (a creation refused degrades at once). */
export const RENEWAL_FAILURES_TO_DEGRADE = 3;

export interface Failure {
  code: string;
  message: string;
  /** Degrade now (creation refused, subscription lapsed), or only after repeated failures. */
  now: boolean;
}

export interface RealtimeChange {
  /** Every stream that should hold a subscription (empty: real time is off). */
  expected: string[];
  /** Streams whose subscription was created, adopted or renewed. */
  set?: Record<string, { id: string; expiresAt: string }>;
  /** Streams whose subscription is gone (removed at Microsoft, or forgotten). */
  removed?: string[];
  failure?: Failure;
}

/** The status that follows from the subscriptions held and the last outcome. */
export function settle(current: RealtimeState, change: RealtimeChange, now: Date): RealtimeState {
  const subscriptions = { ...current.subscriptions, ...change.set };
  for (const stream of change.removed ?? []) delete subscriptions[stream];
  if (change.expected.length === 0) return { status: 'off', reason: null, subscriptions, failures: 0 };
  const alive = (s: string) => {
    const sub = subscriptions[s];
    return sub !== undefined && Date.parse(sub.expiresAt) > now.getTime();
  };
  if (change.failure) {
    const failures = current.failures + 1;
    const degrade = change.failure.now || failures >= RENEWAL_FAILURES_TO_DEGRADE || current.status === 'degraded';
    const reason = { code: change.failure.code, message: change.failure.message, at: now.toISOString() };
    return degrade
      ? { status: 'degraded', reason, subscriptions, failures }
      : {
          status: current.status === 'off' ? 'pending' : current.status,
          reason: current.reason,
          subscriptions,
          failures,
        };
  }
  const all = change.expected.every(alive);
  return { status: all ? 'active' : 'pending', reason: null, subscriptions, failures: 0 };
}

/**
 * The row with its realtime settled. An integration entering `degraded` polls at the normal
 * cadence from now on: a next sync hours away (the reconciliation cadence) is pulled in.
 */
export function withRealtime(
  current: Integration,
  change: RealtimeChange,
  now: Date,
  intervalMinutes: number,
): Integration {
  const before = realtimeOf(current);
  const realtime = settle(before, change, now);
  const normal = now.getTime() + intervalMinutes * 60_000;
  const pullIn = realtime.status !== 'active' && Date.parse(current.nextSyncAt) > normal;
  return { ...current, realtime, ...(pullIn ? { nextSyncAt: new Date(normal).toISOString() } : {}) };
}

/** Whether this change made the integration enter `degraded` (for realtime.degraded). */
export const enteredDegraded = (before: Integration, after: Integration | undefined): boolean =>
  realtimeOf(before).status !== 'degraded' && after !== undefined && realtimeOf(after).status === 'degraded';
