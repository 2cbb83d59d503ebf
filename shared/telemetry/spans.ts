import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { scrub } from '../log.js';

/** The tracer's name: Application Insights shows it nowhere, OpenTelemetry backends as the scope. */
const TRACER = 'integrato';

export { SpanKind };

/**
 * Runs `fn` inside an active span: children (Graph requests, Storage calls) nest under it, a
 * thrown error marks it failed and is rethrown unchanged. Without telemetry the API's no-op
 * tracer makes this a plain call. The tracer is looked up per call because the SDK registers
 * itself after modules have loaded.
 */
export function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return trace
    .getTracer(TRACER)
    .startActiveSpan(
      name,
      { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
      async (span) => {
        try {
          return await fn(span);
        } catch (error) {
          markFailed(span, error);
          throw error;
        } finally {
          span.end();
        }
      },
    );
}

/**
 * Marks a span failed with the error's type and a scrubbed message and stack (exported as an
 * Exception item): error texts can quote upstream answers, so they pass the log's scrubber.
 */
export function markFailed(span: Span, error: unknown): void {
  try {
    // Some SDK errors (GraphError) keep the name 'Error'; their class name tells more in the portal.
    const name = error instanceof Error ? (error.name === 'Error' ? error.constructor.name : error.name) : 'Error';
    const message = scrub(error instanceof Error ? error.message : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: name });
    span.setAttribute('error.type', name);
    span.recordException({
      name,
      message,
      stack: error instanceof Error && error.stack ? scrub(error.stack) : undefined,
    });
  } catch {
    // Telemetry never breaks the work it observes.
  }
}

/** Adds attributes to the active span, if any, and marks it failed with `failedCode` (a no-op without telemetry). */
export function annotateActiveSpan(attributes: Attributes, failedCode?: string): void {
  try {
    const span = trace.getActiveSpan();
    span?.setAttributes(attributes);
    if (failedCode) span?.setStatus({ code: SpanStatusCode.ERROR, message: failedCode });
  } catch {
    // Telemetry never breaks the work it observes.
  }
}
