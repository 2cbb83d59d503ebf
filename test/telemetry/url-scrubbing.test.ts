import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { UrlQueryScrubber, withoutQuery } from '../../shared/telemetry/url-scrubbing.js';

// Issue 19, finding 8: request telemetry must not record query strings (`search=` terms). The
// processor is the one startTelemetry gives the Azure Monitor distro; here it runs in the real
// OpenTelemetry SDK ahead of an in-memory exporter, on spans shaped as the HTTP instrumentation
// shapes an incoming request (both semantic conventions) and an outgoing SAS call.

function exportedThrough(processors: (UrlQueryScrubber | SimpleSpanProcessor)[]) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [...processors, new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const server = tracer.startSpan('GET', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.method': 'GET',
      'http.url': 'https://app.example/api/integrations/email-messages?search=zebraquokka&integration_id=x',
      'http.target': '/api/integrations/email-messages?search=zebraquokka&integration_id=x',
      'url.full': 'https://app.example/api/integrations/email-messages?search=zebraquokka#frag',
      'url.path': '/api/integrations/email-messages',
      'url.query': 'search=zebraquokka&integration_id=x',
      'http.route': 'integrations/email-messages',
    },
  });
  server.end();
  const client = tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } });
  client.setAttribute('url.full', 'https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=c2lnbmF0dXJlc2VjcmV0'); // set after start
  client.end();
  return exporter.getFinishedSpans();
}

describe('UrlQueryScrubber', () => {
  it('exported spans keep the path and lose every query string, incoming and outgoing', () => {
    const [server, client] = exportedThrough([new UrlQueryScrubber()]);
    expect(server!.attributes).toMatchObject({
      'http.url': 'https://app.example/api/integrations/email-messages',
      'http.target': '/api/integrations/email-messages',
      'url.full': 'https://app.example/api/integrations/email-messages',
      'url.path': '/api/integrations/email-messages',
      'url.query': '',
      'http.route': 'integrations/email-messages',
    });
    expect(client!.attributes['url.full']).toBe('https://acct.blob.core.windows.net/c/b');
    const all = JSON.stringify([server!.attributes, client!.attributes]);
    expect(all).not.toContain('zebraquokka');
    expect(all).not.toContain('sig=');
  });

  it('without it the same spans export their queries (what the test above guards against)', () => {
    const [server, client] = exportedThrough([]);
    expect(String(server!.attributes['http.url'])).toContain('search=zebraquokka');
    expect(String(client!.attributes['url.full'])).toContain('sig=');
  });

  it('withoutQuery cuts at the first ? or #', () => {
    expect(withoutQuery('https://h/p?q=1#f')).toBe('https://h/p');
    expect(withoutQuery('/p#f?x')).toBe('/p');
    expect(withoutQuery('https://h/p')).toBe('https://h/p');
  });
});
