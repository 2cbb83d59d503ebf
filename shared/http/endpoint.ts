import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { AppError } from '../errors.js';
import { authenticate, type Caller } from '../identity/authenticate.js';
import { loggerFor, type Logger } from '../log.js';
import { settings } from '../root.js';
import { toProblemResponse } from './problem.js';

export interface EndpointInput {
  request: HttpRequest;
  context: InvocationContext;
  requestId: string;
  log: Logger;
}

export interface AuthenticatedInput extends EndpointInput {
  caller: Caller;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Wraps a handler: request id, structured log, and the single mapping of every error to
 * problem+json. Handlers return plain HttpResponseInit and throw AppError for expected failures.
 */
export function endpoint(fn: (input: EndpointInput) => Promise<HttpResponseInit>): HttpHandler {
  return async (request, context) => {
    const supplied = request.headers.get('x-request-id');
    const requestId = supplied && SAFE_REQUEST_ID.test(supplied) ? supplied : context.invocationId;
    const log = loggerFor(context, { request_id: requestId });
    let response: HttpResponseInit;
    try {
      response = await fn({ request, context, requestId, log });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        log.info('request refused', { error_code: error.code, status: error.status });
      } else {
        log.error('request failed', { error, stack: error instanceof Error ? error.stack : undefined });
      }
      response = toProblemResponse(error, requestId);
    }
    return {
      ...response,
      headers: {
        'Cache-Control': 'no-store',
        ...(response.headers as Record<string, string> | undefined),
        'x-request-id': requestId,
      },
    };
  };
}

/** As {@link endpoint}, after resolving the caller (401 problem+json when there is none). */
export function authenticatedEndpoint(fn: (input: AuthenticatedInput) => Promise<HttpResponseInit>): HttpHandler {
  return endpoint(async (input) => {
    const caller = await authenticate(input.request, settings());
    return fn({ ...input, caller, log: input.log.child({ caller: caller.userKey.slice(0, 12) }) });
  });
}
