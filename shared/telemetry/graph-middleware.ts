import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { SpanStatusCode } from '@opentelemetry/api';
import { invocationLogger, logLevelEnabled, scrub } from '../log.js';
import { recordGraphResponse } from './metrics.js';
import { SpanKind, inSpan } from './spans.js';

/** The request's URL without its query: `$deltatoken`/`$skiptoken` values are state, kept out of telemetry. */
function safeUrl(request: Context['request']): URL | undefined {
  try {
    const url = new URL(typeof request === 'string' ? request : request.url);
    url.search = '';
    url.hash = '';
    url.username = '';
    url.password = '';
    return url;
  } catch {
    return undefined;
  }
}

/**
 * A Graph client middleware placed after the retry handler, just before the HTTP handler: each
 * attempt (retries included) becomes a client span (a RemoteDependency in Application Insights)
 * and counts in `graph.requests`, throttled answers in `graph.throttled`; under LOG_LEVEL=debug it
 * is also one log line (see logAttempt). It only observes: the request, the answer and any error
 * pass through unchanged.
 */
export class GraphTelemetryHandler implements Middleware {
  private next: Middleware | undefined;

  setNext(next: Middleware): void {
    this.next = next;
  }

  execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) return Promise.reject(new Error('GraphTelemetryHandler has no next middleware'));
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const url = safeUrl(context.request);
    const attributes = url
      ? { 'http.request.method': method, 'url.full': url.href, 'server.address': url.hostname }
      : { 'http.request.method': method };
    return inSpan('graph.request', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      let status = 0;
      const startedAt = performance.now();
      let failure: unknown;
      try {
        await next.execute(context);
        status = context.response?.status ?? 0;
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        logAttempt(context, method, status, performance.now() - startedAt, failure);
        recordGraphResponse(method, status);
        if (status > 0) span.setAttribute('http.response.status_code', status);
        if (status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: String(status) });
      }
    });
  }
}

/**
 * The debug line of one attempt, what support asks for: method, path (secret query values such as
 * `$deltatoken`/`$skiptoken` redacted), status, duration, Graph's request-id and client-request-id
 * (Microsoft support finds the request by them) and Retry-After. Never a header with a credential.
 */
function logAttempt(context: Context, method: string, status: number, durationMs: number, failure: unknown): void {
  if (!logLevelEnabled('debug')) return;
  try {
    const url = new URL(typeof context.request === 'string' ? context.request : context.request.url);
    const headers = context.response?.headers;
    invocationLogger().debug('graph request', {
      method,
      path: scrub(`${url.pathname}${url.search}`),
      status,
      duration_ms: Math.round(durationMs),
      request_id: headers?.get('request-id') ?? undefined,
      client_request_id: headers?.get('client-request-id') ?? undefined,
      retry_after: headers?.get('retry-after') ?? undefined,
      ...(failure ? { error: failure instanceof Error ? failure.name : 'unknown' } : {}),
    });
  } catch {
    // Logging never breaks the request it observes.
  }
}
