import type { Attributes, AttributeValue } from '@opentelemetry/api';

// The attributes an HTTP span records its URL in (stable and older semantic conventions). The
// Azure Monitor exporter builds a Request's or dependency's URL and name from them.
const URL_KEYS = ['url.full', 'http.url', 'http.target'] as const;
const QUERY_KEY = 'url.query';

/** A span as the SDK hands it to a processor: readable attributes, writable while it runs. */
interface WritableSpan {
  readonly attributes: Attributes;
  setAttribute(key: string, value: AttributeValue): unknown;
}

/** `https://host/path?search=x#f` → `https://host/path`; relative targets likewise. */
export function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

function strip(span: WritableSpan): void {
  try {
    for (const key of URL_KEYS) {
      const value = span.attributes[key];
      if (typeof value === 'string' && /[?#]/.test(value)) span.setAttribute(key, withoutQuery(value));
    }
    if (typeof span.attributes[QUERY_KEY] === 'string' && span.attributes[QUERY_KEY] !== '')
      span.setAttribute(QUERY_KEY, '');
  } catch {
    // Telemetry never breaks the work it observes.
  }
}

/**
 * A span processor that removes query strings from every span's URL attributes, incoming requests
 * and outgoing calls alike, before anything is exported: queries carry search terms, filters and
 * Graph's `$skiptoken`/`$deltatoken` state, and a SAS URL's `sig=`. Runs at the start (where the
 * HTTP instrumentation sets them) and again as the span ends (for attributes added later).
 */
export class UrlQueryScrubber {
  onStart(span: WritableSpan): void {
    strip(span);
  }

  onEnding(span: WritableSpan): void {
    strip(span);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
