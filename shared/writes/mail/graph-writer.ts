import { IMMUTABLE_ID_PREFERENCE } from '../../graph/client.js';
import { invocationLogger, logLevelEnabled } from '../../log.js';
import type { Semaphore } from '../../graph/semaphore.js';
import { recordGraphResponse } from '../../telemetry/metrics.js';
import { SpanKind, inSpan } from '../../telemetry/spans.js';

// The Graph requests of mail writes. Not the sync's client (shared/graph/client.ts): that one's
// retry middleware repeats a request on 504, and a repeated POST …/send is a second mail. Here
// nothing is repeated by itself; the caller says what may be retried (throttling answers, which
// Graph did not process) and decides what an unknown outcome means.

/** One Graph answer, whatever its status. */
export interface GraphAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  body: unknown;
}

/** The request never got an answer (timeout, reset): its outcome at Microsoft is unknown. */
export class NoAnswerError extends Error {
  constructor(override readonly cause: unknown) {
    super('Microsoft Graph did not answer');
    this.name = 'NoAnswerError';
  }
}

export interface GraphWriterOptions {
  /** GRAPH_BASE_URL. */
  baseUrl: string;
  getAccessToken: () => Promise<string>;
  /** The mailbox's semaphore, shared with the sync (GRAPH_MAX_CONCURRENCY_PER_MAILBOX). */
  mailboxSlots: Semaphore;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type GraphWriter = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<GraphAnswer>;

/** Sends one Graph request (immutable ids asked for, as every request of the app) through the mailbox's semaphore. */
export function createGraphWriter(options: GraphWriterOptions): GraphWriter {
  const root = `${options.baseUrl.replace(/\/+$/, '')}/v1.0`;
  const send = options.fetch ?? fetch;
  return (method, path, body, headers = {}) =>
    options.mailboxSlots.run(async () => {
      const token = await options.getAccessToken();
      const url = `${root}${path}`;
      return observed(method, url, () =>
        send(url, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            Prefer: IMMUTABLE_ID_PREFERENCE,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        }),
      );
    });
}

/** Sends a request to an attachment upload URL: no Authorization header (the URL carries its own token). */
export function createUploadPut(options: Pick<GraphWriterOptions, 'mailboxSlots' | 'timeoutMs' | 'fetch'>) {
  const send = options.fetch ?? fetch;
  return (url: string, range: string, bytes: Uint8Array): Promise<GraphAnswer> =>
    options.mailboxSlots.run(() =>
      observed('PUT', url, () =>
        send(url, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': range },
          body: bytes,
          signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
        }),
      ),
    );
}

async function observed(method: string, url: string, call: () => Promise<Response>): Promise<GraphAnswer> {
  const where = new URL(url);
  const attributes = {
    'http.request.method': method,
    'url.full': `${where.origin}${where.pathname}`,
    'server.address': where.hostname,
  };
  return inSpan('graph.request', { kind: SpanKind.CLIENT, attributes }, async (span) => {
    let response: Response;
    const startedAt = performance.now();
    try {
      response = await call();
    } catch (error) {
      recordGraphResponse(method, 0);
      debugLine(method, where, 0, startedAt);
      throw new NoAnswerError(error);
    }
    recordGraphResponse(method, response.status);
    debugLine(method, where, response.status, startedAt, response.headers);
    span.setAttribute('http.response.status_code', response.status);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The status arrived but not the body: for a write, what happened is known by the status.
      throw new NoAnswerError(error);
    }
    let body: unknown;
    if (text && /json/i.test(response.headers.get('content-type') ?? '')) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = undefined;
      }
    }
    return { status: response.status, headers: response.headers, body };
  });
}

/**
 * LOG_LEVEL=debug: one line per write request, as the sync's Graph middleware logs its own: the
 * path without its query (an upload URL's query is its token), status, duration, Graph's ids.
 */
function debugLine(method: string, url: URL, status: number, startedAt: number, headers?: Headers): void {
  if (!logLevelEnabled('debug')) return;
  invocationLogger().debug('graph request', {
    method,
    path: url.pathname,
    status,
    duration_ms: Math.round(performance.now() - startedAt),
    request_id: headers?.get('request-id') ?? undefined,
    client_request_id: headers?.get('client-request-id') ?? undefined,
    retry_after: headers?.get('retry-after') ?? undefined,
  });
}
