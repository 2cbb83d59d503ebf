import type { FunctionDefinition } from '../shared/functions/definitions.js';
import { inInvocationScope } from '../shared/functions/invocation-scope.js';
import { calendarEvents } from './calendar-events.js';
import { emailMessageSend } from './email-message-send.js';
import { emailMessageUpdate } from './email-message-update.js';
import { emailMessages } from './email-messages.js';
import { freeBusy } from './free-busy.js';
import { health } from './health.js';
import { integration } from './integration.js';
import { integrationSync } from './integration-sync.js';
import { integrationsList } from './integrations-list.js';
import { notificationPoison } from './notification-poison.js';
import { notificationWorker } from './notification-worker.js';
import { notifications, notificationsLifecycle } from './notifications.js';
import { oauthCallback } from './oauth-callback.js';
import { oauthInitiate } from './oauth-initiate.js';
import { oauthStateCleanup } from './oauth-state-cleanup.js';
import { openApi } from './openapi.js';
import { subscriptionRenewal } from './subscription-renewal.js';
import { syncPoison } from './sync-poison.js';
import { syncTimer } from './sync-timer.js';
import { syncWorker } from './sync-worker.js';

/**
 * Every function of the app: registered with Azure by index.ts, served locally by dev/host. Each
 * runs in its invocation's scope (the invocation's logger for SDK callbacks; errors scrubbed).
 */
export const definitions: FunctionDefinition[] = [
  health,
  oauthInitiate,
  oauthCallback,
  integrationsList,
  calendarEvents,
  emailMessages,
  freeBusy,
  emailMessageSend,
  emailMessageUpdate,
  openApi,
  integration,
  integrationSync,
  syncTimer,
  syncWorker,
  syncPoison,
  oauthStateCleanup,
  notifications,
  notificationsLifecycle,
  notificationWorker,
  notificationPoison,
  subscriptionRenewal,
].map(inInvocationScope);
