import { randomUUID } from 'node:crypto';
import { json, type SimResponse } from './http.js';

// Graph's innerError.date has no fraction and no zone designator ("2020-08-18T12:51:51").
const graphDate = (d = new Date()): string => d.toISOString().slice(0, 19);

/** Graph's error envelope, as the front answers it (auth failures and injected faults). */
export function graphError(
  status: number,
  code: string,
  message: string,
  clientRequestId?: string,
  headers: Record<string, string> = {},
): SimResponse {
  const requestId = randomUUID();
  const innerError = {
    date: graphDate(),
    'request-id': requestId,
    'client-request-id': clientRequestId ?? requestId,
  };
  return json(status, { error: { code, message, innerError } }, { 'request-id': requestId, ...headers });
}

/** The 429 Graph sends when throttling, shaped as graph-examples/throttling-429.json. */
export function throttled(retryAfterSeconds: number): SimResponse {
  const requestId = randomUUID();
  const body = {
    error: {
      code: 'TooManyRequests',
      innerError: {
        code: '429',
        date: graphDate(),
        message: 'Please retry after',
        'request-id': requestId,
        status: '429',
      },
      message: 'Please retry again later.',
    },
  };
  return json(429, body, { 'retry-after': String(retryAfterSeconds), 'request-id': requestId });
}

/** Outlook's per-mailbox concurrency refusal (at most ~4 requests in flight per mailbox and app). */
export function mailboxConcurrency(retryAfterSeconds: number, clientRequestId?: string): SimResponse {
  return graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', clientRequestId, {
    'retry-after': String(retryAfterSeconds),
  });
}

const codeForStatus: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'ErrorAccessDenied',
  404: 'ErrorItemNotFound',
  409: 'ErrorIrresolvableConflict',
  410: 'SyncStateNotFound',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** An injected failure with a given status: Graph's error JSON, and Retry-After where Graph sends one. */
export function injectedStatus(status: number, retryAfterSeconds: number, clientRequestId?: string): SimResponse {
  if (status === 429) return throttled(retryAfterSeconds);
  const headers: Record<string, string> = status === 503 ? { 'retry-after': String(retryAfterSeconds) } : {};
  return graphError(
    status,
    codeForStatus[status] ?? 'UnknownError',
    `Simulated failure (HTTP ${status}).`,
    clientRequestId,
    headers,
  );
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/**
 * A refused subscription creation as Outlook's subscription service words it: `ExtensionError`
 * wrapping the inner status (the shape Graph answers Outlook subscription failures in).
 */
export function subscriptionRefused(status: number, clientRequestId?: string): SimResponse {
  const reason = REASONS[status] ?? String(status);
  return graphError(
    status,
    'ExtensionError',
    `Operation: Create; Exception: [Status Code: ${reason}; ` +
      "Reason: Subscriptions are not allowed for this mailbox by the tenant's policy.]",
    clientRequestId,
  );
}
