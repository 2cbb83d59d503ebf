import type { GraphResponse } from '../contract.js';
import { errorDate } from './time.js';

/** Media type Graph puts on JSON answers. */
export const GRAPH_JSON =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

/** A Graph-shaped failure; the router turns it into Graph's error JSON. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
  nowMs: number;
}

/** Graph's error envelope: `{error:{code,message,innerError:{date,request-id,client-request-id}}}`. */
export function errorBody(code: string, message: string, ids: RequestIds): { error: Record<string, unknown> } {
  return {
    error: {
      code,
      message,
      innerError: { date: errorDate(ids.nowMs), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
}

export function errorResponse(err: GraphError, ids: RequestIds): GraphResponse {
  return {
    status: err.status,
    headers: {
      'Content-Type': GRAPH_JSON,
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      ...err.headers,
    },
    body: errorBody(err.code, err.message, ids),
  };
}

/**
 * A throttling answer as Graph sends it (throttling.md): 429, `Retry-After` in seconds (may be
 * fractional) and an innerError that repeats code and status. For the front's fault injection.
 */
export function tooManyRequests(retryAfterSeconds: number, ids: RequestIds): GraphResponse {
  return {
    status: 429,
    headers: {
      'Content-Type': 'application/json',
      'Retry-After': String(retryAfterSeconds),
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
    },
    body: {
      error: {
        code: 'TooManyRequests',
        innerError: {
          code: '429',
          date: errorDate(ids.nowMs),
          message: 'Please retry after',
          'request-id': ids.requestId,
          status: '429',
        },
        message: 'Please retry again later.',
      },
    },
  };
}

export const badRequest = (message: string, code = 'BadRequest'): GraphError => new GraphError(400, code, message);
export const itemNotFound = (): GraphError =>
  new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
export const accessDenied = (): GraphError =>
  new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
export const segmentNotFound = (segment: string): GraphError =>
  badRequest(`Resource not found for the segment '${segment}'.`);
export const methodNotAllowed = (): GraphError =>
  new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
