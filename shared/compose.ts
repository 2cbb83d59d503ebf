import type { TokenCredential } from '@azure/core-auth';
import type { InvocationContext } from '@azure/functions';
import type { QueueClient } from '@azure/storage-queue';
import type { Settings } from './config.js';
import { createEnvelope, type Envelope } from './crypto/envelope.js';
import type { KeyProvider } from './crypto/key-provider.js';
import { keyProviderFromSettings } from './crypto/key-provider-from-settings.js';
import { checkHealth, type Health } from './health.js';
import type { Caller } from './identity/caller.js';
import { ownedIntegration } from './integrations/access.js';
import { disconnect } from './integrations/disconnect.js';
import { integrationsPage } from './integrations/list-page.js';
import type { Integration } from './integrations/model.js';
import { IntegrationRepository } from './integrations/repository.js';
import { lazy } from './lazy.js';
import type { Logger } from './log.js';
import { complete, initiate, type CallbackInput, type InitiateInput } from './oauth/connect.js';
import { OAuthStateStore } from './oauth/state-store.js';
import { TokenCacheStore } from './oauth/token-cache-store.js';
import type { Provider, SyncType } from './providers.js';
import type { EventQuery } from './query/event-params.js';
import { calendarEventsPage } from './query/event-query.js';
import type { MessageQuery } from './query/message-params.js';
import { emailMessagesPage } from './query/message-query.js';
import { freeBusy } from './query/free-busy.js';
import type { FreeBusyQuery } from './query/free-busy-params.js';
import { storageAccount, type StorageAccount } from './storage/account.js';
import { SubscriptionRows } from './storage/subscription-rows.js';
import { roundHooks } from './realtime/hooks.js';
import { removeSubscriptions } from './realtime/manage.js';
import type { NotificationKind } from './realtime/notification-schemas.js';
import { handleAbandonedNotifications, handleNotifications } from './realtime/notification-worker.js';
import { receiveNotifications, type Received } from './realtime/receive.js';
import { renewDueSubscriptions, type RenewalResult } from './realtime/renewal.js';
import { cadenceMinutes } from './integrations/lifecycle.js';
import { QUEUES } from './storage/names.js';
import { queueFirstSync, requestSync } from './sync/enqueue.js';
import { IdempotencyStore } from './writes/idempotency.js';
import { scheduleDueSyncs, type ScheduleResult } from './sync/scheduler.js';
import { handlePoisonJob, handleSyncJob } from './sync/worker.js';
import type { SendMessageRequest, SendResult, UpdateMessageRequest } from './writes/mail/requests.js';
import type { messageView } from './items/message.js';

// The composition root's heavy half (root.ts is the light one that loads this on first use): it
// builds the worker's adapters once and closes every use-case over them. Nothing else in shared/
// builds an adapter, reads settings or wires a use-case.

/** The adapters one worker process shares across invocations; built without any network call. */
export interface Adapters {
  settings: Settings;
  storage: StorageAccount;
  keys: KeyProvider;
  envelope: Envelope;
  /** The stores over storage; their tables and queue are created on first use (a failure is retried). */
  stores(): Promise<Stores>;
}

export interface Stores {
  integrations: IntegrationRepository;
  states: OAuthStateStore;
  tokenCaches: TokenCacheStore;
  /** The sync-jobs queue. */
  jobs: QueueClient;
  /** Graph subscriptions (real time), by id and by integration. */
  rows: SubscriptionRows;
  /** The notifications queue (the endpoints' output, the notification worker's input). */
  notifications: QueueClient;
  /** Idempotency-Key entries of the write endpoints (writes/idempotency.ts). */
  idempotency: IdempotencyStore;
}

/**
 * Everything a use-case may be given. Each use-case names the part it needs (SyncPorts,
 * ConnectPorts, EnqueuePorts, QueryPorts, HealthPorts…): all of them are parts of this one object.
 */
export type Ports = Omit<Adapters, 'stores'> & Stores & { log: Logger };

export async function buildAdapters(settings: Settings): Promise<Adapters> {
  // @azure/identity is heavy: loaded only where a managed identity is actually used.
  let credential: Promise<TokenCredential> | undefined;
  const managedIdentity = () =>
    (credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential()));
  const keys = await keyProviderFromSettings(settings, settings.KEY_VAULT_URL ? await managedIdentity() : undefined);
  const storage = storageAccount(settings, managedIdentity);
  const envelope = createEnvelope(keys);
  const stores = lazy(async (): Promise<Stores> => {
    const [integrations, states, caches, jobs, subscriptions, notifications, idempotency] = await Promise.all([
      storage.table('Integrations'),
      storage.table('OAuthStates'),
      storage.table('TokenCaches'),
      storage.queue(QUEUES.syncJobs),
      storage.table('Subscriptions'),
      storage.queue(QUEUES.notifications),
      storage.table('IdempotencyKeys'),
    ]);
    return {
      integrations: new IntegrationRepository(integrations),
      states: new OAuthStateStore(states, envelope),
      tokenCaches: new TokenCacheStore(caches, envelope),
      jobs,
      rows: new SubscriptionRows(subscriptions),
      notifications,
      idempotency: new IdempotencyStore(idempotency),
    };
  });
  return { settings, storage, keys, envelope, stores };
}

/** The app's use-cases, ready to call: what a function file calls, once, and maps the result of. */
export interface UseCases {
  health(): Promise<Health>;
  initiateConnect(
    caller: Caller,
    input: InitiateInput,
    log: Logger,
  ): Promise<{
    authorization_url: string;
    state: string;
    provider: Provider;
    expires_at: string;
  }>;
  /** Completes a sign-in, then queues the first full sync. */
  completeConnect(
    caller: Caller,
    input: CallbackInput,
    log: Logger,
  ): Promise<{ integration: Integration; created: boolean }>;
  listIntegrations(
    caller: Caller,
    query: { provider?: Provider; limit: number; cursor?: string },
  ): ReturnType<typeof integrationsPage>;
  getIntegration(caller: Caller, id: string | undefined): Promise<Integration>;
  disconnect(caller: Caller, id: string | undefined, log: Logger): Promise<void>;
  /**
   * Queues a sync of the caller's integration. The body is read only once the id is known to be
   * the caller's: a foreign or unknown id is 404 whatever the body holds.
   */
  requestSync(
    caller: Caller,
    id: string | undefined,
    body: () => Promise<{ sync_type: SyncType }>,
  ): Promise<Integration>;
  calendarEvents(caller: Caller, query: EventQuery, log: Logger, now: number): ReturnType<typeof calendarEventsPage>;
  emailMessages(caller: Caller, query: MessageQuery, log: Logger): ReturnType<typeof emailMessagesPage>;
  freeBusy(caller: Caller, query: FreeBusyQuery, log: Logger, now: number): ReturnType<typeof freeBusy>;
  scheduleDueSyncs(log: Logger): Promise<ScheduleResult>;
  purgeExpiredStates(): Promise<number>;
  runSyncJob(message: unknown, context: InvocationContext): Promise<void>;
  recordAbandonedJob(message: unknown, log: Logger): Promise<void>;
  /** The notification endpoints: checks and queues one delivery (never calls Graph). */
  receiveNotifications(kind: NotificationKind, items: unknown[], log: Logger): Promise<Received>;
  /** The notification queue's worker: rounds, renewals and recreations. */
  handleNotifications(message: unknown, log: Logger): Promise<void>;
  /** The notifications poison queue: the batch's integrations are made due now. */
  recordAbandonedNotifications(message: unknown, log: Logger): Promise<void>;
  /** The renewal timer. */
  renewSubscriptions(log: Logger): Promise<RenewalResult>;
  /** PATCH …/email-messages/{message_id}: mark read/unread, move (API.md "Writes"). */
  updateEmailMessage(
    caller: Caller,
    id: string | undefined,
    messageId: string | undefined,
    body: () => Promise<UpdateMessageRequest>,
    log: Logger,
  ): Promise<ReturnType<typeof messageView>>;
  /** POST …/email-messages: send (draft + send), with an optional Idempotency-Key. */
  sendEmailMessage(
    caller: Caller,
    id: string | undefined,
    body: () => Promise<SendMessageRequest>,
    idempotencyKey: string | undefined,
    log: Logger,
  ): Promise<{ status: number; body: SendResult; replayed: boolean }>;
}

/** How long DELETE waits for Microsoft to delete the subscriptions before it purges anyway. */
export const SUBSCRIPTION_DELETE_TIMEOUT_MS = 5_000;

export function composeUseCases(adapters: Adapters): UseCases {
  const { stores, ...shared } = adapters;
  const ports = async (log: Logger): Promise<Ports> => ({ ...shared, ...(await stores()), log });
  const owned = async (caller: Caller, id: string | undefined, options?: { includeDisconnected?: boolean }) =>
    ownedIntegration((await stores()).integrations, caller, id, options);

  return {
    health: () => checkHealth(adapters),
    initiateConnect: async (caller, input, log) => initiate(await ports(log), caller, input),
    completeConnect: async (caller, input, log) => {
      const p = await ports(log);
      return complete({ ...p, afterConnect: (integration) => queueFirstSync(p, integration, log) }, caller, input);
    },
    listIntegrations: async (caller, query) => integrationsPage({ ...shared, ...(await stores()) }, caller, query),
    getIntegration: (caller, id) => owned(caller, id),
    disconnect: async (caller, id, log) => {
      // A half-deleted integration is found again, so a retried DELETE can finish the purge.
      const integration = await owned(caller, id, { includeDisconnected: true });
      const p = await ports(log);
      // Best effort and bounded: a slow Microsoft never holds up the purge (see removeSubscriptions).
      await removeSubscriptions(p, integration, SUBSCRIPTION_DELETE_TIMEOUT_MS).catch((error: unknown) =>
        log.warn('subscriptions not removed at Microsoft', { integration_id: integration.id, error }),
      );
      await disconnect(p, integration);
    },
    requestSync: async (caller, id, body) => {
      const integration = await owned(caller, id);
      const { sync_type } = await body();
      return (await requestSync(await stores(), integration, sync_type)).integration;
    },
    calendarEvents: async (caller, query, log, now) =>
      calendarEventsPage({ ...shared, ...(await stores()) }, caller, query, log, now),
    emailMessages: async (caller, query, log) =>
      emailMessagesPage({ ...shared, ...(await stores()) }, caller, query, log),
    freeBusy: async (caller, query, log, now) => freeBusy({ ...shared, ...(await stores()) }, caller, query, log, now),
    scheduleDueSyncs: async (log) => {
      const [{ integrations, jobs }, table] = await Promise.all([stores(), adapters.storage.table('Integrations')]);
      const cadence = (integration: Integration) => cadenceMinutes(integration, adapters.settings);
      return scheduleDueSyncs(table, integrations, jobs, cadence, log);
    },
    purgeExpiredStates: async () => (await stores()).states.purgeExpired(),
    runSyncJob: async (message, context) => {
      const s = await stores();
      return handleSyncJob({ ...shared, ...s, realtime: roundHooks({ ...shared, ...s }) }, message, context);
    },
    recordAbandonedJob: async (message, log) => handlePoisonJob(await stores(), message, log),
    receiveNotifications: async (kind, items, log) =>
      receiveNotifications({ ...(await stores()), log }, kind, items, new Date()),
    handleNotifications: async (message, log) => handleNotifications(await ports(log), message, log),
    recordAbandonedNotifications: async (message, log) => handleAbandonedNotifications(await stores(), message, log),
    renewSubscriptions: async (log) => renewDueSubscriptions(await ports(log), log),
    updateEmailMessage: async (caller, id, messageId, body, log) => {
      const integration = await owned(caller, id);
      const { updateEmailMessage } = await import('./writes/mail/mail-writes.js');
      return updateEmailMessage(await ports(log), integration, messageId, body);
    },
    sendEmailMessage: async (caller, id, body, idempotencyKey, log) => {
      const integration = await owned(caller, id);
      const { sendIdempotent } = await import('./writes/mail/send-idempotent.js');
      return sendIdempotent(await ports(log), caller, integration, body, idempotencyKey);
    },
  };
}
