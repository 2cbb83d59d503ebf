// Type-only: erased at compile time, so the distro is not loaded by importing this module.
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import type { Logger } from '../log.js';
import { UrlQueryScrubber } from './url-scrubbing.js';

let started: Promise<boolean> | undefined;

/**
 * Starts OpenTelemetry with the Azure Monitor distro when a connection string is given (root.ts
 * passes the setting's); without
 * one nothing is loaded (the distro is heavy and start-up stays light). Idempotent. Never throws:
 * a failure is logged (never the connection string) and the app runs without telemetry.
 * `overrides` are for tests (e.g. instrumentations); production uses the defaults below.
 */
export function startTelemetry(
  connectionString: string | undefined,
  log: Logger,
  overrides: AzureMonitorOpenTelemetryOptions = {},
): Promise<boolean> {
  if (!connectionString) return Promise.resolve(false);
  started ??= (async () => {
    try {
      const { useAzureMonitor } = await import('@azure/monitor-opentelemetry');
      useAzureMonitor({
        ...overrides,
        azureMonitorExporterOptions: { ...overrides.azureMonitorExporterOptions, connectionString },
        // No recorded URL keeps its query string (search terms, Graph paging state, SAS signatures).
        spanProcessors: [new UrlQueryScrubber(), ...(overrides.spanProcessors ?? [])],
        // The Functions host already feeds Live Metrics; in the worker it would only add a
        // second poller against the live endpoint.
        enableLiveMetrics: false,
      });
      log.info('telemetry started', { exporter: 'azure-monitor' });
      return true;
    } catch (error) {
      started = undefined;
      log.warn('telemetry could not start; continuing without it', { error });
      return false;
    }
  })();
  return started;
}

type Flushable = { forceFlush?: () => Promise<void> };

/**
 * Exports what is buffered now (spans are batched every few seconds, metrics every minute).
 * A no-op without telemetry; failures are swallowed.
 */
export async function flushTelemetry(): Promise<void> {
  // Loaded here, not at the top: the entry point imports this module at every cold start.
  const { metrics, trace } = await import('@opentelemetry/api');
  const tracerProvider = trace.getTracerProvider() as Flushable & { getDelegate?: () => unknown };
  const delegate = (tracerProvider.getDelegate?.() ?? tracerProvider) as Flushable;
  const meterProvider = metrics.getMeterProvider() as Flushable;
  await Promise.allSettled([delegate.forceFlush?.(), meterProvider.forceFlush?.()]);
}

/** Flushes and stops the SDK (tests; a graceful shutdown). Safe to call when it never started. */
export async function stopTelemetry(): Promise<void> {
  if (!started || !(await started)) return;
  started = undefined;
  const { shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  await shutdownAzureMonitor().catch(() => undefined);
}
