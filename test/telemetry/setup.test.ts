import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log.js';
import { recordGraphResponse, recordSyncJob } from '../../shared/telemetry/metrics.js';
import { startTelemetryFromSettings } from '../../shared/root.js';
import { flushTelemetry, startTelemetry, stopTelemetry } from '../../shared/telemetry/setup.js';
import { annotateActiveSpan, inSpan } from '../../shared/telemetry/spans.js';
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

const validSettings = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', APPLICATIONINSIGHTS_CONNECTION_STRING: undefined };

// Order matters: the first tests prove the distro is never loaded; the last one loads it.
describe('telemetry setup', () => {
  it('the Functions entry point registers every function without loading the distro when no connection string is set', () => {
    const env = { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS, AUTH_MODE: 'easyauth', MICROSOFT_CLIENT_ID: 'c', MICROSOFT_CLIENT_SECRET: 's', OAUTH_REDIRECT_URIS: 'https://app.example/cb', TOKEN_ENCRYPTION_KEY: testTokenKey, AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
    const child = spawnSync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--import', join(here, '..', 'support', 'ts-hooks.mjs'), join(here, 'entry-probe.ts')], { env, encoding: 'utf8', timeout: 30_000 });
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
    const failure = new Error('boom');
    await expect(inSpan('x', {}, async () => Promise.reject(failure))).rejects.toBe(failure);
    recordGraphResponse('GET', 429);
    recordSyncJob({ provider: 'microsoft_outlook', sync_type: 'full' }, 12, { outcome: 'failed', errorCode: 'graph_unavailable' });
    annotateActiveSpan({ a: 1 }, 'failed');
    const observed = observeSync({ provider: 'microsoft_calendar', sync_type: 'calendar' });
    observed.end({ outcome: 'succeeded', upserted: 1, deleted: 0 });
    observed.end({ outcome: 'reauth_required' });
    await flushTelemetry();
    await stopTelemetry();
    expect(process.env.AZURE_MONITOR_DISTRO_VERSION).toBeUndefined();
  });

  it('invalid settings leave telemetry off with a warning that names no value', async () => {
    const { lines, log } = capturingLog();
    useSettings({ ...validSettings, TOKEN_ENCRYPTION_KEY: 'dG9vLXNob3J0', APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000' });
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
