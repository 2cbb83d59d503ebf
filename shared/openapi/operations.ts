import { z } from 'zod';
import {
  callbackRequestSchema,
  initiateRequestSchema,
  integrationsQuerySchema,
  syncRequestSchema,
} from '../http/requests.js';
import { eventQuerySchema } from '../query/event-params.js';
import { freeBusyQuerySchema } from '../query/free-busy-params.js';
import { messageQuerySchema } from '../query/message-params.js';
import type { ErrorCode } from '../errors.js';
import * as r from './responses.js';
import { sendMessageSchema, sendResultSchema, updateMessageSchema } from '../writes/mail/requests.js';

/** Schemas that become `components/schemas/<name>`; operations refer to them by name. */
export const components = {
  Integration: r.integrationResponse,
  IntegrationList: r.integrationList,
  CalendarEvent: r.eventResponse,
  CalendarEventList: r.eventList,
  EmailMessage: r.messageResponse,
  EmailMessageList: r.messageList,
  FreeBusy: r.freeBusyResponse,
  Problem: r.problemResponse,
  Health: r.healthResponse,
  OAuthStart: r.oauthStartResponse,
  OpenApiDocument: r.openApiResponse,
  OAuthInitiateRequest: initiateRequestSchema,
  OAuthCallbackRequest: callbackRequestSchema,
  SyncRequest: syncRequestSchema,
  EmailMessageUpdateRequest: updateMessageSchema,
  EmailMessageSendRequest: sendMessageSchema,
  EmailMessageSendResult: sendResultSchema,
} satisfies Record<string, z.ZodType>;
export type ComponentName = keyof typeof components;

export interface ResponseSpec {
  description: string;
  /** JSON body (application/json); absent for 204. */
  body?: ComponentName;
  /** A text/plain body (the notification handshake's echo). */
  text?: boolean;
  /** problem+json with the error codes this status carries. */
  problem?: ErrorCode[];
  headers?: Record<string, string>;
}

export interface OperationSpec {
  /** The Functions definition's `name`: test/openapi ties every operation to its definition by it. */
  fn: string;
  /** Unique per operation; defaults to `fn` (a definition serving two methods needs one of its own). */
  operationId?: string;
  /** The Functions route (under the `api` prefix), e.g. `integrations/{id}`. */
  route: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  summary: string;
  /** What a client needs beyond the summary: when to call it, what it does, what to do with the answer. */
  description: string;
  tag: 'Health' | 'OAuth' | 'Integrations' | 'Queries' | 'Writes' | 'Meta' | 'Notifications';
  /** Request headers the operation reads (name → description), e.g. `Idempotency-Key`. */
  requestHeaders?: Record<string, string>;
  anonymous?: boolean;
  query?: z.ZodObject;
  queryDocs?: Record<string, string>;
  body?: ComponentName;
  responses: Record<number, ResponseSpec>;
}

// Statuses every authenticated operation can answer; body-taking ones add 413/415.
const authErrors = {
  401: {
    description: 'No caller, or a bad token (`WWW-Authenticate: Bearer`).',
    problem: ['unauthenticated'],
    headers: { 'WWW-Authenticate': 'Bearer' },
  },
  500: { description: 'Unexpected error; only the request id is given.', problem: ['internal_error'] },
  503: {
    description: 'A dependency (storage, the token key) is unavailable; try again later.',
    problem: ['service_unavailable'],
  },
} satisfies Record<number, ResponseSpec>;
const bodyErrors = {
  413: { description: 'The body is over 64 KiB.', problem: ['payload_too_large'] },
  415: { description: 'The body is not application/json.', problem: ['unsupported_media_type'] },
} satisfies Record<number, ResponseSpec>;
const location = { Location: 'The integration: `/api/integrations/{id}`.' };
const notFound: ResponseSpec = {
  description: 'Unknown id, or another caller’s (indistinguishable).',
  problem: ['not_found'],
};
const invalid = (...codes: ErrorCode[]): ResponseSpec => ({
  description: 'Invalid input; `errors` names each invalid field.',
  problem: ['validation_failed', ...codes],
});

const instantDoc = 'ISO 8601 date-time with an offset (`Z` or `±hh:mm`), 1970–2200.';
const pagingDocs = {
  limit: 'Page size, 1–500 (default 100).',
  cursor: '`next_cursor` of the previous page; bound to the caller and the other parameters.',
};

// Microsoft's change notifications (API.md "Change notifications"): anonymous, answered to Graph.
const validationQuery = z.object({ validationToken: z.string().optional() });
const notificationResponses = (what: string): Record<number, ResponseSpec> => ({
  200: {
    description: 'The handshake: the decoded `validationToken` as `text/plain`, before any other work.',
    text: true,
  },
  202: {
    description: `${what} checked and durably queued (unknown subscriptions and wrong clientStates are dropped).`,
  },
  400: invalid('invalid_json'),
  413: { description: 'The body is over 1 MiB.', problem: ['payload_too_large'] },
  415: { description: 'The body is not application/json.', problem: ['unsupported_media_type'] },
  500: { description: 'The notifications could not be queued; Microsoft retries.', problem: ['internal_error'] },
  503: { description: 'Storage is unavailable; Microsoft retries.', problem: ['service_unavailable'] },
});
const notificationOperations: OperationSpec[] = [
  {
    fn: 'notifications',
    route: 'integrations/notifications',
    method: 'post',
    tag: 'Notifications',
    anonymous: true,
    query: validationQuery,
    queryDocs: { validationToken: "Graph's endpoint validation: echoed back as text/plain." },
    summary: 'Microsoft Graph change notifications (called by Microsoft, not the SPA).',
    description:
      'With `validationToken`: 200 `text/plain` with the token (the body may be empty or not JSON). Otherwise a ' +
      'Graph notification body `{ "value": [...] }`: each notification whose subscription and clientState check ' +
      'out is queued as a hint for a delta round of its stream; 202 either way.',
    responses: notificationResponses('Notifications'),
  },
  {
    fn: 'notificationsLifecycle',
    route: 'integrations/notifications/lifecycle',
    method: 'post',
    tag: 'Notifications',
    anonymous: true,
    query: validationQuery,
    queryDocs: { validationToken: "Graph's endpoint validation: echoed back as text/plain." },
    summary: 'Microsoft Graph lifecycle notifications (called by Microsoft, not the SPA).',
    description:
      'With `validationToken`: the handshake, as for notifications. Otherwise `reauthorizationRequired` (the ' +
      'subscription is renewed), `subscriptionRemoved` (recreated, then a delta round) and `missed` (a delta ' +
      'round); other events are logged and ignored.',
    responses: notificationResponses('Lifecycle notifications'),
  },
];

// The mail writes (API.md "Writes"): the refusals they add to every authenticated operation's.
const writeErrors = {
  403: {
    description: 'The integration lacks a Microsoft permission this needs; `required_scopes` names it.',
    problem: ['insufficient_scope'],
  },
  429: {
    description: 'Microsoft throttled the mailbox beyond the app’s short wait; nothing more was done (`Retry-After`).',
    problem: ['throttled'],
    headers: { 'Retry-After': 'Seconds to wait before retrying.' },
  },
} satisfies Record<number, ResponseSpec>;

export const operations: OperationSpec[] = [
  {
    fn: 'health',
    route: 'health',
    method: 'get',
    tag: 'Health',
    anonymous: true,
    description:
      'Anonymous; for load balancers and probes. 200 when storage and the token key answer, 503 naming the ' +
      'failing check otherwise. Never reveals versions or settings. Query parameters are refused (400).',
    summary: 'Whether storage and the token-encryption key can be reached.',
    responses: {
      200: { description: 'Healthy.', body: 'Health' },
      400: invalid(),
      503: { description: 'A dependency is down; `checks` names it.', body: 'Health' },
    },
  },
  {
    fn: 'openApi',
    route: 'openapi.json',
    method: 'get',
    tag: 'Meta',
    anonymous: true,
    description:
      'Anonymous. This OpenAPI 3.1 document, built from the same zod schemas the functions parse with; ' +
      'generate a typed client from it (the reference SPA does, with openapi-typescript). Query parameters ' +
      'are refused (400).',
    summary: 'This document.',
    responses: { 200: { description: 'The OpenAPI 3.1 document.', body: 'OpenApiDocument' }, 400: invalid() },
  },
  {
    fn: 'oauthInitiate',
    route: 'integrations/oauth/initiate',
    method: 'post',
    tag: 'OAuth',
    body: 'OAuthInitiateRequest',
    description:
      "Step 1 of connecting: send the user's browser to `authorization_url`. Microsoft returns to " +
      '`redirect_uri` (one of OAUTH_REDIRECT_URIS) with `code` and `state`; keep `provider` to post them to' +
      ' the callback. The state is single-use, expires after 10 minutes and is bound to this caller, ' +
      'provider and redirect URI.',
    summary:
      'Starts connecting a Microsoft account: the authorization URL with PKCE and a single-use state (10 minutes).',
    responses: {
      200: { description: 'Send the user to `authorization_url`.', body: 'OAuthStart' },
      400: invalid('invalid_json'),
      ...authErrors,
      ...bodyErrors,
    },
  },
  {
    fn: 'oauthCallback',
    route: 'integrations/oauth/callback',
    method: 'post',
    tag: 'OAuth',
    body: 'OAuthCallbackRequest',
    description:
      'Step 2 of connecting: post what Microsoft sent to the redirect URI (`code` and `state`, or `error`).' +
      ' Creates the integration (201) and starts its first full sync, or renews the same integration when ' +
      'the account was already connected (200).',
    summary: 'Completes the sign-in with the code (or the error) Microsoft returned to the redirect URI.',
    responses: {
      200: {
        description: 'The account was already connected for this caller and provider: renewed.',
        body: 'Integration',
      },
      201: { description: 'A new integration.', body: 'Integration', headers: location },
      400: invalid('invalid_json', 'invalid_state', 'consent_denied', 'oauth_exchange_failed', 'access_downgrade'),
      ...authErrors,
      ...bodyErrors,
    },
  },
  {
    fn: 'integrationsList',
    route: 'integrations',
    method: 'get',
    tag: 'Integrations',
    description:
      'Every integration of the caller with its status, account and last sync; poll it to show sync ' +
      'progress (`last_sync.status` `queued` → `running` → `succeeded`/`failed`). Paged with `limit` and ' +
      '`cursor`.',
    summary: 'The caller’s integrations, oldest first, in pages.',
    query: integrationsQuerySchema,
    queryDocs: { provider: 'Only integrations of this provider.', ...pagingDocs },
    responses: {
      200: { description: 'One page of the caller’s integrations.', body: 'IntegrationList' },
      400: invalid(),
      ...authErrors,
    },
  },
  {
    fn: 'integration',
    operationId: 'getIntegration',
    route: 'integrations/{id}',
    method: 'get',
    tag: 'Integrations',
    description:
      'One integration of the caller. `status` `reauth_required` means Microsoft no longer accepts the ' +
      'connection: run the connect flow again for the same account.',
    summary: 'One integration.',
    responses: { 200: { description: 'The integration.', body: 'Integration' }, 404: notFound, ...authErrors },
  },
  {
    fn: 'integration',
    operationId: 'deleteIntegration',
    route: 'integrations/{id}',
    method: 'delete',
    tag: 'Integrations',
    description:
      'Disconnects the account: its tokens, synced events and messages, sync state and Graph subscriptions ' +
      'are removed. Afterwards the id answers 404 everywhere.',
    summary: 'Disconnects: removes its tokens, synced items, sync state and subscriptions.',
    responses: { 204: { description: 'Removed; the id is 404 from now on.' }, 404: notFound, ...authErrors },
  },
  {
    fn: 'integrationSync',
    route: 'integrations/{id}/sync',
    method: 'post',
    tag: 'Integrations',
    body: 'SyncRequest',
    description:
      'Asks for a sync now instead of at the next scheduled one; `Location` names the integration to poll. ' +
      'A sync already queued or running is not queued twice. `reauth_required` integrations answer 409: ' +
      'reconnect first.',
    summary: 'Queues a sync (not twice while one is queued or running).',
    responses: {
      202: { description: 'Queued: `last_sync.status` is `queued`.', body: 'Integration', headers: location },
      400: invalid('invalid_json', 'invalid_sync_type'),
      404: notFound,
      409: { description: 'The account must be connected again first.', problem: ['reauth_required'] },
      ...authErrors,
      ...bodyErrors,
    },
  },
  {
    fn: 'calendarEvents',
    route: 'integrations/calendar-events',
    method: 'get',
    tag: 'Queries',
    description:
      "Calendar events of the caller's calendar integrations that overlap the window, ordered by start then" +
      ' id, from the synced store (no Graph request). Follow `next_cursor` until it is null; a cursor is ' +
      'bound to the caller and the other parameters.',
    summary: 'Events overlapping a window (default 30 days back to 30 ahead, at most 366 days), by start then id.',
    query: eventQuerySchema(Date.now()),
    queryDocs: {
      provider: 'microsoft_calendar (the one provider with events); default: all that have them.',
      start_date: instantDoc,
      end_date: `${instantDoc} After start_date.`,
      integration_id: 'Only this integration.',
      search:
        '1–200 characters, case-insensitive; matches title, description, location, organizer and attendee names and addresses.',
      attendee: 'An email address (any case): only events whose attendees list it.',
      organizer: 'An email address (any case): only events it organizes.',
      calendar_id: 'One or more calendar ids, comma-separated (at most 50): only events of these calendars.',
      show_as: '`free`, `tentative`, `busy`, `oof`, `workingElsewhere` or `unknown`.',
      is_cancelled: '`true` or `false` only.',
      type: '`singleInstance`, `occurrence`, `exception` or `seriesMaster`.',
      is_online_meeting: '`true` or `false` only.',
      ...pagingDocs,
    },
    responses: {
      200: { description: 'One page of events.', body: 'CalendarEventList' },
      400: invalid(),
      404: notFound,
      ...authErrors,
    },
  },
  {
    fn: 'emailMessages',
    route: 'integrations/email-messages',
    method: 'get',
    tag: 'Queries',
    description:
      "Messages of the caller's Outlook integrations, newest first, from the synced store (no Graph " +
      'request): filter by read state, importance and received time, search subject, preview and sender. ' +
      'Follow `next_cursor` until it is null: a search over a large mailbox may answer short pages.',
    summary: 'Messages, newest first, filtered and searched.',
    query: messageQuerySchema,
    queryDocs: {
      provider: 'microsoft_outlook (the one provider with mail); default: all that have it.',
      is_read: '`true` or `false` only.',
      search: '1–200 characters, case-insensitive; matches subject, preview, sender name and address.',
      importance: '`low`, `normal` or `high`.',
      received_after: `${instantDoc} Exclusive.`,
      received_before: `${instantDoc} Exclusive.`,
      from: 'An email address (any case): only messages from it.',
      folder: "A synced folder's well-known name (any case, e.g. `inbox`) or its id.",
      has_attachments: '`true` or `false` only.',
      conversation_id: 'Only messages of this conversation (exact id).',
      integration_id: 'Only this integration.',
      ...pagingDocs,
    },
    responses: {
      200: { description: 'One page of messages.', body: 'EmailMessageList' },
      400: invalid(),
      404: notFound,
      ...authErrors,
    },
  },
  {
    fn: 'freeBusy',
    route: 'integrations/free-busy',
    method: 'get',
    tag: 'Queries',
    summary: 'Busy time in a window (at most 62 days), merged across the caller’s synced calendars.',
    description:
      'Answered from the synced events alone (no Microsoft Graph request): events shown as free or unknown, ' +
      'cancelled events and events the caller declined do not count; overlapping intervals keep the strongest ' +
      'status (oof > busy > workingElsewhere > tentative); intervals are cut to the window. `working_hours` comes ' +
      "from the mailbox settings of the integration asked for (else the caller's first calendar integration " +
      'that has them).',
    query: freeBusyQuerySchema(Date.now()),
    queryDocs: {
      start_date: `${instantDoc} Default: 30 days before now.`,
      end_date: `${instantDoc} After start_date, at most 62 days later. Default: 30 days after now.`,
      integration_id: 'Only this calendar integration.',
      calendar_id: 'One or more calendar ids, comma-separated (at most 50): only these calendars.',
    },
    responses: {
      200: { description: 'The busy intervals and working hours.', body: 'FreeBusy' },
      400: invalid(),
      404: notFound,
      ...authErrors,
    },
  },
  {
    fn: 'emailMessageUpdate',
    route: 'integrations/{id}/email-messages/{message_id}',
    method: 'patch',
    tag: 'Writes',
    body: 'EmailMessageUpdateRequest',
    summary: 'Marks a stored message read or unread and/or moves it to another folder.',
    description:
      'Needs `read_write` access (Mail.ReadWrite). `is_read` is a PATCH of the message at Microsoft, `folder` a move; the ' +
      'store is updated from Microsoft’s answer before the reply, so the next query shows the change and the next sync ' +
      'neither repeats nor reverts it. A moved message keeps its `id` and `external_id` (immutable ids); moved to a ' +
      'folder that is not synced (SYNC_MAIL_FOLDERS) it leaves the store, and the answer shows it as Microsoft has it.',
    responses: {
      200: { description: 'The message after the change (query shape).', body: 'EmailMessage' },
      400: invalid('invalid_json'),
      ...writeErrors,
      404: {
        description: 'Unknown integration or message, another caller’s, or the message is gone at Microsoft.',
        problem: ['not_found'],
      },
      409: { description: 'The account must be connected again first.', problem: ['reauth_required'] },
      ...authErrors,
      ...bodyErrors,
    },
  },
  {
    fn: 'emailMessageSend',
    route: 'integrations/{id}/email-messages',
    method: 'post',
    tag: 'Writes',
    body: 'EmailMessageSendRequest',
    requestHeaders: {
      'Idempotency-Key':
        '1–255 visible ASCII characters. Within 24 hours the same key and body get the first answer again and send ' +
        'nothing more, even when the first answer was lost or Microsoft timed out; the key with another body is 422.',
    },
    summary: 'Sends a message (a reply when `reply_to_message_id` names a stored message).',
    description:
      'Needs `read_write` access (Mail.ReadWrite and Mail.Send). The message is created as a draft at Microsoft (for a ' +
      'reply, with createReply in the original’s conversation), attachments are added (up to 3,000,000 bytes a file ' +
      'inline, larger ones through an upload session; 25,000,000 bytes in all), then the draft is sent: two Graph ' +
      'requests without attachments. The draft’s immutable id is recorded under the Idempotency-Key before sending, so ' +
      'a retry after an unknown outcome checks that draft (still a draft: send it; sent or gone: answer as sent) ' +
      'instead of sending again. `id` names the Sent Items copy once it has synced (null with `save_to_sent_items: ' +
      'false`). The request body may be up to 40 MiB (base64 attachments).',
    responses: {
      202: { description: 'Sent (accepted by Microsoft for delivery).', body: 'EmailMessageSendResult' },
      400: invalid('invalid_json'),
      ...writeErrors,
      404: {
        description:
          'Unknown integration (or not an Outlook one), another caller’s, or an unknown `reply_to_message_id`.',
        problem: ['not_found'],
      },
      409: {
        description: 'The account must be connected again, or a request with this Idempotency-Key is still running.',
        problem: ['reauth_required', 'request_in_progress'],
      },
      413: {
        description: 'The body is over 40 MiB, or the attachments over 25,000,000 bytes in all.',
        problem: ['payload_too_large'],
      },
      415: bodyErrors[415],
      422: {
        description: 'This Idempotency-Key was used with another request in the last 24 hours.',
        problem: ['idempotency_key_reused'],
      },
      ...authErrors,
    },
  },
  ...notificationOperations,
];
