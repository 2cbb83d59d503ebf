import type { z } from 'zod';
import {
  callbackRequestSchema,
  initiateRequestSchema,
  integrationsQuerySchema,
  syncRequestSchema,
} from '../http/requests.js';
import { eventQuerySchema } from '../query/event-params.js';
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
  /** Longer than the summary: what the operation does at Microsoft and in the store. */
  description?: string;
  tag: 'Health' | 'OAuth' | 'Integrations' | 'Queries' | 'Writes' | 'Meta';
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
    summary: 'Whether storage and the token-encryption key can be reached.',
    responses: {
      200: { description: 'Healthy.', body: 'Health' },
      503: { description: 'A dependency is down; `checks` names it.', body: 'Health' },
    },
  },
  {
    fn: 'openApi',
    route: 'openapi.json',
    method: 'get',
    tag: 'Meta',
    anonymous: true,
    summary: 'This document.',
    responses: { 200: { description: 'The OpenAPI 3.1 document.', body: 'OpenApiDocument' } },
  },
  {
    fn: 'oauthInitiate',
    route: 'integrations/oauth/initiate',
    method: 'post',
    tag: 'OAuth',
    body: 'OAuthInitiateRequest',
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
    summary: 'One integration.',
    responses: { 200: { description: 'The integration.', body: 'Integration' }, 404: notFound, ...authErrors },
  },
  {
    fn: 'integration',
    operationId: 'deleteIntegration',
    route: 'integrations/{id}',
    method: 'delete',
    tag: 'Integrations',
    summary: 'Disconnects: removes its tokens, synced items, sync state and subscriptions.',
    responses: { 204: { description: 'Removed; the id is 404 from now on.' }, 404: notFound, ...authErrors },
  },
  {
    fn: 'integrationSync',
    route: 'integrations/{id}/sync',
    method: 'post',
    tag: 'Integrations',
    body: 'SyncRequest',
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
    summary: 'Events overlapping a window (default 30 days back to 30 ahead, at most 366 days), by start then id.',
    query: eventQuerySchema(Date.now()),
    queryDocs: {
      provider: 'microsoft_calendar (the one provider with events); default: all that have them.',
      start_date: instantDoc,
      end_date: `${instantDoc} After start_date.`,
      integration_id: 'Only this integration.',
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
    summary: 'Messages, newest first, filtered and searched.',
    query: messageQuerySchema,
    queryDocs: {
      provider: 'microsoft_outlook (the one provider with mail); default: all that have it.',
      is_read: '`true` or `false` only.',
      search: '1–200 characters, case-insensitive; matches subject, preview, sender name and address.',
      received_after: `${instantDoc} Exclusive.`,
      received_before: `${instantDoc} Exclusive.`,
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
];
