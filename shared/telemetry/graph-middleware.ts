import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { SpanStatusCode } from '@opentelemetry/api';
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
 * and counts in `graph.requests`, throttled answers in `graph.throttled`. It only observes: the
 * request, the answer and any error pass through unchanged.
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
    const attributes = url ? { 'http.request.method': method, 'url.full': url.href, 'server.address': url.hostname } : { 'http.request.method': method };
    return inSpan('graph.request', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      let status = 0;
      try {
        await next.execute(context);
        status = context.response?.status ?? 0;
      } finally {
        recordGraphResponse(method, status);
        if (status > 0) span.setAttribute('http.response.status_code', status);
        if (status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: String(status) });
      }
    });
  }
}
