import type { Settings } from '../config.js';
import { createGraphGet, createGraphSend, type GraphGet, type GraphSend } from '../graph/client.js';
import { withMailboxSlots, type Semaphore } from '../graph/semaphore.js';
import type { Integration } from '../integrations/model.js';
import { realtimeOf } from '../integrations/model.js';
import type { IntegrationRepository } from '../integrations/repository.js';
import type { Logger } from '../log.js';
import { accessTokenProvider } from '../oauth/access-token.js';
import type { TokenCacheStore } from '../oauth/token-cache-store.js';
import type { SubscriptionRow, SubscriptionRows } from '../storage/subscription-rows.js';
import { recordRealtimeDegraded, recordSubscriptionFailure } from '../telemetry/metrics.js';
import { hashClientState, newClientState } from './client-state.js';
import {
  createGraphSubscription,
  deleteGraphSubscription,
  failureReason,
  listGraphSubscriptions,
  renewGraphSubscription,
  statusOf,
  type GraphSubscription,
} from './graph-subscriptions.js';
import { forgetSubscription } from './receive.js';
import { subscribedStreams, subscriptionTarget, type SubscriptionTarget } from './resources.js';
import { enteredDegraded, withRealtime, type Failure, type RealtimeChange } from './state.js';

/** What managing subscriptions needs. */
export interface RealtimePorts {
  settings: Settings;
  rows: SubscriptionRows;
  integrations: IntegrationRepository;
  tokenCaches: TokenCacheStore;
  log: Logger;
}

/** Graph access for one integration's subscription calls. */
export interface GraphSession {
  get: GraphGet;
  send: GraphSend;
}

/** The two anonymous endpoints Graph calls (functions/notifications.ts); null while real time is off. */
export function notificationUrls(
  settings: Settings,
): { notificationUrl: string; lifecycleNotificationUrl: string } | null {
  const base = settings.WEBHOOK_BASE_URL;
  if (!base) return null;
  return {
    notificationUrl: `${base}/api/integrations/notifications`,
    lifecycleNotificationUrl: `${base}/api/integrations/notifications/lifecycle`,
  };
}

/** The streams that should hold a subscription now (none while real time is off). */
export const expectedStreams = (integration: Integration, settings: Settings): string[] =>
  notificationUrls(settings) ? subscribedStreams(integration, settings) : [];

/** A Graph session over a token and the mailbox's slots (a job's, or a fresh one's). */
export function sessionOf(settings: Settings, getToken: () => Promise<string>, slots: Semaphore): GraphSession {
  const options = { baseUrl: settings.GRAPH_BASE_URL, getAccessToken: getToken, mailboxSlots: slots };
  return { get: createGraphGet(options), send: createGraphSend(options) };
}

/** Runs `fn` with a Graph session of the integration, outside a sync job. */
export async function withGraph<T>(
  ports: Pick<RealtimePorts, 'settings' | 'tokenCaches' | 'log'>,
  integration: Integration,
  fn: (graph: GraphSession) => Promise<T>,
  options: { freshToken?: boolean } = {},
): Promise<T> {
  const getToken = accessTokenProvider(ports.settings, ports.tokenCaches, integration, ports.log, {
    forceRefresh: options.freshToken === true,
  });
  return withMailboxSlots(integration.microsoftUserId, ports.settings.GRAPH_MAX_CONCURRENCY_PER_MAILBOX, (slots) =>
    fn(sessionOf(ports.settings, getToken, slots)),
  );
}

const alive = (sub: { expiresAt: string } | undefined, now: Date) =>
  sub !== undefined && Date.parse(sub.expiresAt) > now.getTime();

const sameResource = (a: string | undefined, b: string) =>
  (a ?? '').replace(/^\/+/, '').toLowerCase() === b.replace(/^\/+/, '').toLowerCase();
const sameChangeTypes = (a: string | undefined, b: string) =>
  (a ?? '')
    .split(',')
    .map((s) => s.trim())
    .sort()
    .join(',') === b.split(',').sort().join(',');

type Created = { ok: true; stream: string; id: string; expiresAt: string } | { ok: false; failure: Failure };

async function store(
  ports: RealtimePorts,
  integration: Integration,
  target: SubscriptionTarget,
  sub: GraphSubscription,
  clientState: string,
  now: Date,
): Promise<Created> {
  const row: SubscriptionRow = {
    subscriptionId: sub.id,
    integrationId: integration.id,
    userKey: integration.userKey,
    stream: target.stream,
    resource: target.resource,
    changeType: target.changeType,
    clientStateHash: hashClientState(clientState),
    expiresAt: new Date(Date.parse(sub.expirationDateTime)).toISOString(),
    createdAt: now.toISOString(),
  };
  await ports.rows.put(row);
  forgetSubscription(sub.id);
  return { ok: true, stream: target.stream, id: sub.id, expiresAt: row.expiresAt };
}

const createFailure = (stream: string, reason: string): Failure => ({
  code: 'subscription_create_failed',
  message: `Microsoft did not accept the change notification subscription of ${stream} (${reason}); polling continues.`,
  now: true,
});

/**
 * Creates the stream's subscription with a fresh clientState. Graph answers 409 when this app
 * already holds one for the same resource and change types: that one is adopted when Graph shows
 * its clientState, else deleted and created again once.
 */
export async function createSubscription(
  ports: RealtimePorts,
  integration: Integration,
  stream: string,
  graph: GraphSession,
  now = new Date(),
): Promise<Created> {
  const urls = notificationUrls(ports.settings);
  if (!urls) return { ok: false, failure: createFailure(stream, 'off') };
  let target: SubscriptionTarget | undefined;
  try {
    target = subscriptionTarget(stream);
    const clientState = newClientState();
    try {
      const created = await createGraphSubscription(graph.send, { ...target, ...urls, clientState }, now);
      ports.log.info('subscription created', { integration_id: integration.id, stream, subscription_id: created.id });
      return await store(ports, integration, target, created, clientState, now);
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      const resource = target.resource;
      const changeType = target.changeType;
      const existing = (await listGraphSubscriptions(graph.get)).find(
        (s) => sameResource(s.resource, resource) && sameChangeTypes(s.changeType, changeType),
      );
      if (existing?.clientState) {
        ports.log.info('subscription adopted after 409', { integration_id: integration.id, stream });
        return await store(ports, integration, target, existing, existing.clientState, now);
      }
      if (existing) await deleteGraphSubscription(graph.send, existing.id);
      const again = await createGraphSubscription(graph.send, { ...target, ...urls, clientState }, now);
      return await store(ports, integration, target, again, clientState, now);
    }
  } catch (error) {
    const reason = failureReason(error);
    recordSubscriptionFailure('create', reason);
    ports.log.warn('subscription not created', { integration_id: integration.id, stream, reason });
    return { ok: false, failure: createFailure(stream, reason) };
  }
}

/** Creates the subscriptions the integration's streams lack; none and no Graph request when all are alive. */
export async function ensureSubscriptions(
  ports: RealtimePorts,
  integration: Integration,
  graph: GraphSession,
  now = new Date(),
): Promise<RealtimeChange> {
  const expected = expectedStreams(integration, ports.settings);
  const held = realtimeOf(integration).subscriptions;
  const change: RealtimeChange = { expected, set: {} };
  for (const stream of expected.filter((s) => !alive(held[s], now))) {
    const result = await createSubscription(ports, integration, stream, graph, now);
    if (result.ok) change.set![stream] = { id: result.id, expiresAt: result.expiresAt };
    else change.failure = result.failure;
  }
  return change;
}

/** Applies a realtime change to the row (ETag-guarded), counting an entry into `degraded`. */
export async function applyRealtime(
  ports: Pick<RealtimePorts, 'integrations' | 'settings'>,
  integration: Integration,
  change: RealtimeChange,
  now = new Date(),
): Promise<Integration | undefined> {
  const interval = ports.settings.SYNC_INTERVAL_MINUTES;
  const written = await ports.integrations.update(integration, (current) =>
    current.status === 'disconnected' ? undefined : withRealtime(current, change, now, interval),
  );
  if (enteredDegraded(integration, written)) recordRealtimeDegraded(change.failure?.code ?? 'unknown');
  return written;
}

export type Renewed = { change: RealtimeChange; recreated: boolean };

/**
 * Renews a subscription (PATCH with a new expiry; it also refreshes the subscription's token, so
 * it answers reauthorizationRequired too). A subscription Graph no longer knows (404) is created
 * again: the caller then runs a delta round for the gap.
 */
export async function renewSubscription(
  ports: RealtimePorts,
  integration: Integration,
  row: SubscriptionRow,
  graph: GraphSession,
  operation: 'renew' | 'reauthorize',
  now = new Date(),
): Promise<Renewed> {
  const expected = expectedStreams(integration, ports.settings);
  try {
    const renewed = await renewGraphSubscription(graph.send, row.subscriptionId, now);
    const expiresAt = new Date(Date.parse(renewed.expirationDateTime)).toISOString();
    await ports.rows.put({
      ...row,
      expiresAt,
      ...(operation === 'reauthorize' ? { reauthorizedAt: now.toISOString() } : {}),
    });
    forgetSubscription(row.subscriptionId);
    ports.log.info('subscription renewed', { integration_id: integration.id, stream: row.stream, operation });
    return { change: { expected, set: { [row.stream]: { id: row.subscriptionId, expiresAt } } }, recreated: false };
  } catch (error) {
    if (statusOf(error) === 404) {
      ports.log.warn('subscription gone at Microsoft; creating it again', {
        integration_id: integration.id,
        stream: row.stream,
      });
      await ports.rows.delete(row);
      forgetSubscription(row.subscriptionId);
      const created = await createSubscription(ports, integration, row.stream, graph, now);
      return created.ok
        ? {
            change: { expected, set: { [row.stream]: { id: created.id, expiresAt: created.expiresAt } } },
            recreated: true,
          }
        : { change: { expected, removed: [row.stream], failure: created.failure }, recreated: true };
    }
    const reason = failureReason(error);
    recordSubscriptionFailure(operation, reason);
    ports.log.warn('subscription not renewed', { integration_id: integration.id, stream: row.stream, reason });
    // A subscription about to lapse cannot wait for more attempts.
    const lapsing = Date.parse(row.expiresAt) - now.getTime() < 2 * 3600_000;
    const failure: Failure = {
      code: 'subscription_renewal_failed',
      message: `Microsoft did not renew the change notification subscription of ${row.stream} (${reason}); polling continues.`,
      now: lapsing,
    };
    return { change: { expected, failure }, recreated: false };
  }
}

/**
 * Deletes the integration's subscriptions at Microsoft, best effort and bounded: a slow or failing
 * Microsoft never holds up the caller (a DELETE's purge) beyond `timeoutMs`; what is not deleted
 * there lapses by itself within 7 days, and its notifications are dropped as unknown. The rows
 * here are removed whatever Microsoft answered.
 */
export async function removeSubscriptions(
  ports: RealtimePorts,
  integration: Integration,
  timeoutMs: number,
): Promise<{ deleted: number; failed: number; timedOut: boolean }> {
  const rows = await ports.rows.forIntegration(integration.id);
  let deleted = 0;
  let failed = 0;
  let timedOut = false;
  if (rows.length > 0) {
    const work = withGraph(ports, integration, (graph) =>
      Promise.all(
        rows.map((row) =>
          deleteGraphSubscription(graph.send, row.subscriptionId).then(
            () => void deleted++,
            (error: unknown) => {
              if (statusOf(error) === 404) return void deleted++;
              failed++;
              recordSubscriptionFailure('delete', failureReason(error));
            },
          ),
        ),
      ),
    ).catch((error: unknown) => {
      // No token (reauth required, cache gone): nothing can be deleted at Microsoft.
      failed = rows.length - deleted;
      recordSubscriptionFailure('delete', failureReason(error));
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, timeoutMs);
    });
    await Promise.race([work, timeout]);
    clearTimeout(timer);
  }
  await ports.rows.purge(integration.id);
  for (const row of rows) forgetSubscription(row.subscriptionId);
  ports.log.info('subscriptions removed', {
    integration_id: integration.id,
    subscriptions: rows.length,
    deleted,
    failed,
    timed_out: timedOut,
  });
  return { deleted, failed, timedOut };
}

/** Lost consent: the subscriptions cannot be renewed or deleted (no token); they are forgotten here. */
export async function forgetSubscriptions(ports: RealtimePorts, integration: Integration): Promise<RealtimeChange> {
  const rows = await ports.rows.forIntegration(integration.id);
  await ports.rows.purge(integration.id);
  for (const row of rows) forgetSubscription(row.subscriptionId);
  const expected = expectedStreams(integration, ports.settings);
  return {
    expected,
    removed: Object.keys(realtimeOf(integration).subscriptions),
    ...(expected.length
      ? {
          failure: {
            code: 'reauth_required',
            message: 'Microsoft no longer accepts this connection; real time resumes once it is connected again.',
            now: true,
          },
        }
      : {}),
  };
}
