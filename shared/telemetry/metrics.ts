import { metrics, type Attributes, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';

/** The metric names as they appear in Application Insights (customMetrics). */
export const METRICS = {
  syncDuration: 'sync.duration',
  itemsWritten: 'sync.items_written',
  failures: 'sync.failures',
  reauthRequired: 'sync.reauth_required',
  graphRequests: 'graph.requests',
  graphThrottled: 'graph.throttled',
  // Real time (CONTRACTS.md §6; ops' alerts and workbook query these names).
  notificationsReceived: 'notifications.received',
  notificationsDropped: 'notifications.dropped',
  notificationLatency: 'notifications.latency',
  subscriptionFailures: 'subscriptions.failures',
  realtimeDegraded: 'realtime.degraded',
} as const;

interface Instruments {
  syncDuration: Histogram;
  itemsWritten: Counter;
  failures: Counter;
  reauthRequired: Counter;
  graphRequests: Counter;
  graphThrottled: Counter;
  notificationsReceived: Counter;
  notificationsDropped: Counter;
  notificationLatency: Histogram;
  subscriptionFailures: Counter;
  realtimeDegraded: Counter;
}

let built: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The instruments of the current global meter provider. Instruments taken from the API before the
 * SDK registers stay no-ops forever (metrics have no proxy provider, unlike traces), so they are
 * rebuilt whenever the provider changes; without telemetry this is the no-op provider throughout.
 */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (built?.provider !== provider) {
    const meter = provider.getMeter('integrato');
    built = {
      provider,
      instruments: {
        syncDuration: meter.createHistogram(METRICS.syncDuration, {
          unit: 's',
          description: 'Duration of sync jobs that held the lease',
        }),
        itemsWritten: meter.createCounter(METRICS.itemsWritten, {
          description: 'Items upserted or deleted by successful sync jobs',
        }),
        failures: meter.createCounter(METRICS.failures, {
          description: 'Sync jobs that ended in an error, by error code',
        }),
        reauthRequired: meter.createCounter(METRICS.reauthRequired, {
          description: 'Integrations that Microsoft stopped accepting',
        }),
        graphRequests: meter.createCounter(METRICS.graphRequests, {
          description: 'Microsoft Graph requests sent, each retry counted',
        }),
        graphThrottled: meter.createCounter(METRICS.graphThrottled, {
          description: 'Microsoft Graph answers 429 or 503',
        }),
        notificationsReceived: meter.createCounter(METRICS.notificationsReceived, {
          description: 'Change and lifecycle notifications accepted by the endpoints',
        }),
        notificationsDropped: meter.createCounter(METRICS.notificationsDropped, {
          description: 'Notifications acknowledged and dropped, by reason',
        }),
        notificationLatency: meter.createHistogram(METRICS.notificationLatency, {
          unit: 's',
          description: 'Receipt of a notification at the endpoint to the end of the delta round it caused',
        }),
        subscriptionFailures: meter.createCounter(METRICS.subscriptionFailures, {
          description: 'Graph subscription operations that failed, by operation and reason',
        }),
        realtimeDegraded: meter.createCounter(METRICS.realtimeDegraded, {
          description: 'Integrations entering realtime degraded, by reason',
        }),
      },
    };
  }
  return built.instruments;
}

/** Records without ever throwing into the caller: telemetry never breaks a request or a sync. */
function record(fn: (i: Instruments) => void): void {
  try {
    fn(instruments());
  } catch {
    /* ignored on purpose */
  }
}

export interface SyncLabels {
  provider: string;
  sync_type: string;
}

export type SyncEnd =
  | { outcome: 'succeeded'; upserted: number; deleted: number }
  | { outcome: 'reauth_required' }
  | { outcome: 'requeued' | 'failed' | 'lease_lost'; errorCode: string };

/** One sync job that held the lease, from start to its end. Labels are low-cardinality on purpose (no ids). */
export function recordSyncJob(labels: SyncLabels, durationMs: number, end: SyncEnd): void {
  record((i) => {
    const base: Attributes = { provider: labels.provider, sync_type: labels.sync_type };
    i.syncDuration.record(durationMs / 1000, { ...base, outcome: end.outcome });
    if (end.outcome === 'succeeded') {
      i.itemsWritten.add(end.upserted, { ...base, change: 'upserted' });
      i.itemsWritten.add(end.deleted, { ...base, change: 'deleted' });
      return;
    }
    const errorCode = end.outcome === 'reauth_required' ? 'reauth_required' : end.errorCode;
    i.failures.add(1, { ...base, error_code: errorCode, outcome: end.outcome });
    if (end.outcome === 'reauth_required') i.reauthRequired.add(1, base);
  });
}

/** One Graph HTTP answer (status 0: no answer at all). 429 and 503 are Graph's throttling answers. */
export function recordGraphResponse(method: string, status: number): void {
  record((i) => {
    i.graphRequests.add(1, { 'http.request.method': method, 'http.response.status_code': status });
    if (status === 429 || status === 503) i.graphThrottled.add(1, { 'http.response.status_code': status });
  });
}

/** Notifications accepted by an endpoint: `kind` change or lifecycle (then `lifecycle_event`). */
export function recordNotificationsReceived(
  kind: 'change' | 'lifecycle',
  count: number,
  lifecycleEvent?: string,
): void {
  if (count > 0)
    record((i) =>
      i.notificationsReceived.add(count, { kind, ...(lifecycleEvent ? { lifecycle_event: lifecycleEvent } : {}) }),
    );
}

export type DropReason = 'unknown_subscription' | 'client_state_mismatch' | 'malformed' | 'expired_subscription';

/** Notifications acknowledged (202) and dropped without any Graph traffic. */
export function recordNotificationsDropped(reason: DropReason, count: number): void {
  if (count > 0) record((i) => i.notificationsDropped.add(count, { reason }));
}

/** Receipt at the endpoint → the delta round it caused has stored its changes. */
export function recordNotificationLatency(seconds: number): void {
  if (Number.isFinite(seconds) && seconds >= 0) record((i) => i.notificationLatency.record(seconds));
}

/** A failed subscription operation; `reason` is a Graph status or error code (low-cardinality). */
export function recordSubscriptionFailure(
  operation: 'create' | 'renew' | 'delete' | 'reauthorize',
  reason: string,
): void {
  record((i) => i.subscriptionFailures.add(1, { operation, reason }));
}

/** An integration entering realtime `degraded`. */
export function recordRealtimeDegraded(reason: string): void {
  record((i) => i.realtimeDegraded.add(1, { reason }));
}
