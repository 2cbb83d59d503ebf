import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createNoopMeter, metrics, ProxyTracerProvider, trace, type Attributes } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log.js';
import { METRICS, recordGraphResponse, recordSyncJob } from '../../shared/telemetry/metrics.js';
import { startTelemetryFromSettings } from '../../shared/root.js';
import { flushTelemetry, startTelemetry, stopTelemetry } from '../../shared/telemetry/setup.js';
import { inSpan } from '../../shared/telemetry/spans.js';
import { observeSync } from '../../shared/telemetry/sync-telemetry.js';
import { testTokenKey, useSettings } from '../support/settings.js';
import { EXPORTER_TEST_ENV } from './collector.js';
import { guardLoopback } from './loopback-guard.js';

const here = import.meta.dirname;
const guard = guardLoopback();
afterAll(() => guard.restore());

function capturingLog() {
  const lines: string[] = [];
  const push = (line: string) => lines.push(line);
  return { lines, log: createLogger({ debug: push, info: push, warn: push, error: push }) };
}

const validSettings = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  APPLICATIONINSIGHTS_CONNECTION_STRING: undefined,
};

// Order matters: the first tests prove the distro is never loaded; the last one loads it.
describe('telemetry setup', () => {
  it('the Functions entry point registers every function without loading the distro when no connection string is set', () => {
    const env = {
      PATH: process.env.PATH,
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
      AUTH_MODE: 'easyauth',
      WEBSITE_AUTH_ENABLED: 'True',
      MICROSOFT_CLIENT_ID: 'c',
      MICROSOFT_CLIENT_SECRET: 's',
      OAUTH_REDIRECT_URIS: 'https://app.example/cb',
      TOKEN_ENCRYPTION_KEY: testTokenKey,
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    };
    const child = spawnSync(
      process.execPath,
      [
        '--experimental-transform-types',
        '--no-warnings',
        '--import',
        join(here, '..', 'support', 'ts-hooks.mjs'),
        join(here, 'entry-probe.ts'),
      ],
      { env, encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toEqual({ distro: null });
    // Outside Azure, @azure/functions reports each registration it skips: all of them ran after the top-level await.
    expect(child.stderr).toMatch(/register function "syncWorker"/);
    expect(child.stdout).not.toMatch(/telemetry/);
  });

  it('without a connection string nothing starts and every helper is a plain pass-through', async () => {
    const { lines, log } = capturingLog();
    useSettings(validSettings);
    expect(await startTelemetryFromSettings(log)).toBe(false);
    expect(await startTelemetry(undefined, log)).toBe(false);
    expect(lines).toEqual([]);
    expect(process.env.AZURE_MONITOR_DISTRO_VERSION).toBeUndefined();

    expect(await inSpan('x', {}, async () => 42)).toBe(42);
    // The API's no-op tracer: nothing is recorded, and no global provider was registered.
    expect(await inSpan('x', {}, async (span) => span.isRecording())).toBe(false);
    expect(trace.getTracerProvider()).toBeInstanceOf(ProxyTracerProvider);
    expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate().constructor.name).toBe(
      'NoopTracerProvider',
    );
    const failure = new Error('boom');
    await expect(inSpan('x', {}, async () => Promise.reject(failure))).rejects.toBe(failure);
    await flushTelemetry();
    await stopTelemetry();
    expect(process.env.AZURE_MONITOR_DISTRO_VERSION).toBeUndefined();
  });

  it('the metric helpers record into whichever meter provider is registered, a sync job once', () => {
    const recorded: { name: string; value: number; attributes?: Attributes }[] = [];
    const meter = createNoopMeter();
    meter.createCounter = (name) => ({ add: (value, attributes) => void recorded.push({ name, value, attributes }) });
    meter.createHistogram = (name) => ({
      record: (value, attributes) => void recorded.push({ name, value, attributes }),
    });
    expect(metrics.setGlobalMeterProvider({ getMeter: () => meter })).toBe(true);
    const take = () =>
      recorded.splice(0).map((r) => ({ ...r, value: r.name === METRICS.syncDuration ? 'seconds' : r.value }));
    try {
      recordGraphResponse('GET', 429);
      expect(take()).toEqual([
        {
          name: METRICS.graphRequests,
          value: 1,
          attributes: { 'http.request.method': 'GET', 'http.response.status_code': 429 },
        },
        { name: METRICS.graphThrottled, value: 1, attributes: { 'http.response.status_code': 429 } },
      ]);
      recordGraphResponse('GET', 200);
      expect(take().map((r) => r.name)).toEqual([METRICS.graphRequests]);

      const labels = { provider: 'microsoft_calendar', sync_type: 'calendar' };
      const observed = observeSync(labels);
      observed.end({ outcome: 'succeeded', upserted: 3, deleted: 1 });
      observed.end({ outcome: 'reauth_required' }); // a second end is ignored
      expect(take()).toEqual([
        { name: METRICS.syncDuration, value: 'seconds', attributes: { ...labels, outcome: 'succeeded' } },
        { name: METRICS.itemsWritten, value: 3, attributes: { ...labels, change: 'upserted' } },
        { name: METRICS.itemsWritten, value: 1, attributes: { ...labels, change: 'deleted' } },
      ]);

      recordSyncJob(labels, 1_500, { outcome: 'reauth_required' });
      expect(take()).toEqual([
        { name: METRICS.syncDuration, value: 'seconds', attributes: { ...labels, outcome: 'reauth_required' } },
        {
          name: METRICS.failures,
          value: 1,
          attributes: { ...labels, error_code: 'reauth_required', outcome: 'reauth_required' },
        },
        { name: METRICS.reauthRequired, value: 1, attributes: labels },
      ]);
    } finally {
      metrics.disable();
    }
  });

  it('a meter provider that throws never breaks the request or sync that records', () => {
    expect(
      metrics.setGlobalMeterProvider({
        getMeter: () => {
          throw new Error('broken exporter');
        },
      }),
    ).toBe(true);
    try {
      expect(() => recordGraphResponse('GET', 503)).not.toThrow();
      expect(() =>
        observeSync({ provider: 'microsoft_outlook', sync_type: 'full' }).end({
          outcome: 'failed',
          errorCode: 'graph_unavailable',
        }),
      ).not.toThrow();
    } finally {
      metrics.disable();
    }
  });

  it('invalid settings leave telemetry off with a warning that names no value', async () => {
    const { lines, log } = capturingLog();
    useSettings({
      ...validSettings,
      TOKEN_ENCRYPTION_KEY: 'dG9vLXNob3J0',
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
    });
    expect(await startTelemetryFromSettings(log)).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/telemetry not started/);
    expect(lines[0]).not.toMatch(/dG9vLXNob3J0|InstrumentationKey/);
    expect(process.env.AZURE_MONITOR_DISTRO_VERSION).toBeUndefined();
  });

  it('a connection string the exporter refuses is logged, never thrown, and the app goes on untraced', async () => {
    Object.assign(process.env, EXPORTER_TEST_ENV);
    const { lines, log } = capturingLog();
    const bad = 'InstrumentationKey=not-a-key-0001;IngestionEndpoint=https://localhost:9/';
    expect(await startTelemetry(bad, log)).toBe(false);
    expect(process.env.AZURE_MONITOR_DISTRO_VERSION).toBeDefined(); // it was tried
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/telemetry could not start/);
    expect(lines[0]).not.toContain('not-a-key-0001');
    expect(await inSpan('after', {}, async () => 'still works')).toBe('still works');
    recordGraphResponse('GET', 200);
    await flushTelemetry();
    expect(guard.refused).toEqual([]);
  });
});
