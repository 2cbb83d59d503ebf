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
  method: 'get' | 'post' | 'delete';
  summary: string;
  tag: 'Health' | 'OAuth' | 'Integrations' | 'Queries' | 'Meta';
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
];
