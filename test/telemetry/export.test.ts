import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/log.js';
import { startTelemetryFromSettings } from '../../shared/root.js';
import { flushTelemetry, stopTelemetry } from '../../shared/telemetry/setup.js';
import { METRICS } from '../../shared/telemetry/metrics.js';
import { simControl } from '../support/sim-control.js';
import { startStack, type Answer, type Stack } from '../support/stack.js';
import { lastSync as lastSyncOf, waitFor } from '../support/truth.js';
import { EXPORTER_TEST_ENV, metricSum, startCollector, type Collector, type Envelope } from './collector.js';
import { guardLoopback } from './loopback-guard.js';
import { Secrets } from './secrets.js';

const guard = guardLoopback();
let collector: Collector;
let stack: Stack;
let secrets: Secrets;

beforeAll(async () => {
  Object.assign(process.env, EXPORTER_TEST_ENV);
  collector = await startCollector();
  stack = await startStack({
    settings: { APPLICATIONINSIGHTS_CONNECTION_STRING: collector.connectionString, GRAPH_PAGE_SIZE: '10' },
  });
  const log = createLogger({
    debug() {},
    info() {},
    warn: (line) => stack.logs.push(line),
    error: (line) => stack.logs.push(line),
  });
  expect(await startTelemetryFromSettings(log)).toBe(true);
  secrets = new Secrets(stack);
});
afterAll(async () => {
  await stopTelemetry();
  await stack?.stop();
  await collector?.close();
  guard.restore();
});

const lastSync = (token: string, id: string, done: (body: Answer['body']) => boolean) =>
  lastSyncOf(stack, token, id, done, 60_000);

const requests = (name: string) =>
  collector.envelopes.filter(
    (e) => e.name === 'Microsoft.ApplicationInsights.Request' && e.data?.baseData?.name === name,
  );
const jobRequest = (id: string, outcome: string) =>
  requests('sync.job').find(
    (e) => e.data?.baseData?.properties?.integration_id === id && e.data.baseData.properties.sync_outcome === outcome,
  );

/** Flushes, then waits until the collector holds what `ready` looks for (the exporter sends asynchronously). */
async function exported<T>(ready: () => T | undefined): Promise<T> {
  return waitFor(async () => {
    await flushTelemetry();
    return ready();
  }, 20_000);
}

describe('telemetry to Application Insights (a local collector)', () => {
  it('a sync exports its sync.job request, its Graph dependencies and the sync metrics', async () => {
    const email = 'telemetry@contoso.example';
    stack.user(email, { email, mailbox: { messages: 40 } });
    await simControl(stack.sim, 'DELETE', 'stats');
    const { token, id } = await secrets.connect(email, 'microsoft_outlook');
    const body = await lastSync(token, id, (b) => b.last_sync?.status === 'succeeded');
    await secrets.rememberStoredTokens(id);
    const graphRequests = (await simControl(stack.sim, 'GET', 'stats')).graph_requests;
    expect(graphRequests).toBeGreaterThan(2); // 40 messages in pages of 10

    const job = await exported(() => jobRequest(id, 'succeeded'));
    expect(job.data!.baseData).toMatchObject({
      success: true,
      properties: { provider: 'microsoft_outlook', outcome: 'succeeded', sync_type: 'full' },
    });
    expect(Number(job.data!.baseData!.properties!.items_upserted)).toBe(body.last_sync.items_upserted);
    const operation = job.tags!['ai.operation.id'];
    const jobSpanId = job.data!.baseData!.id;
    // Every Graph request of the job is a dependency under its span: path without query, status, host.
    const graph = collector.envelopes.filter(
      (e: Envelope) =>
        e.name === 'Microsoft.ApplicationInsights.RemoteDependency' &&
        e.tags?.['ai.operation.id'] === operation &&
        /^GET \/v1\.0\/me\//.test(String(e.data?.baseData?.name)),
    );
    expect(graph).toHaveLength(graphRequests);
    for (const dep of graph) {
      expect(dep.data!.baseData).toMatchObject({ type: 'Http', resultCode: '200', success: true, target: 'localhost' });
      expect(dep.data!.baseData!.data).not.toContain('?');
      expect(dep.tags!['ai.operation.parentId']).toBe(jobSpanId);
    }

    const metrics = await exported(() =>
      metricSum(collector.envelopes, METRICS.graphRequests) >= graphRequests ? collector.envelopes : undefined,
    );
    expect(metricSum(metrics, METRICS.graphRequests)).toBe(graphRequests);
    expect(metricSum(metrics, METRICS.graphRequests, { 'http.response.status_code': '200' })).toBe(graphRequests);
    expect(metricSum(metrics, METRICS.itemsWritten, { provider: 'microsoft_outlook', change: 'upserted' })).toBe(
      body.last_sync.items_upserted,
    );
    const durations = metrics.filter(
      (e) =>
        e.data?.baseData?.metrics?.[0]?.name === METRICS.syncDuration &&
        e.data.baseData.properties!.outcome === 'succeeded',
    );
    expect(durations.map((e) => e.data!.baseData!.metrics![0]!.count).reduce((a: number, b: number) => a + b, 0)).toBe(
      1,
    );
    const seconds = Number(durations[0]!.data!.baseData!.metrics![0]!.value);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(60);
    expect(metricSum(metrics, METRICS.graphThrottled)).toBe(0);
  });

  it('throttled Graph answers count in graph.throttled, one per 429 the simulator sent', async () => {
    const email = 'throttled-telemetry@contoso.example';
    stack.user(email, { email, mailbox: { messages: 60 } });
    const before = metricSum(collector.envelopes, METRICS.graphThrottled);
    await simControl(stack.sim, 'DELETE', 'stats');
    await simControl(stack.sim, 'POST', 'faults', { throttle_share: 0.4, retry_after_s: 0.05 });
    const { token, id } = await secrets.connect(email, 'microsoft_outlook');
    await lastSync(token, id, (b) => b.last_sync?.status === 'succeeded');
    await simControl(stack.sim, 'DELETE', 'faults');
    await secrets.rememberStoredTokens(id);
    const throttled = (await simControl(stack.sim, 'GET', 'stats')).by_status['429'] ?? 0;
    expect(throttled).toBeGreaterThan(0);
    await exported(() =>
      metricSum(collector.envelopes, METRICS.graphThrottled) - before >= throttled ? true : undefined,
    );
    expect(metricSum(collector.envelopes, METRICS.graphThrottled) - before).toBe(throttled);
    expect(metricSum(collector.envelopes, METRICS.graphRequests, { 'http.response.status_code': '429' })).toBe(
      throttled,
    );
  });

  it('a failing Graph fails the job: sync.failures by code, a failed sync.job request with its exception', async () => {
    const email = 'failing-telemetry@contoso.example';
    stack.user(email, { email, mailbox: { messages: 5 } });
    await simControl(stack.sim, 'POST', 'faults', { status: 500, next_n: 1 });
    const { token, id } = await secrets.connect(email, 'microsoft_outlook');
    await lastSync(token, id, (b) => b.last_sync?.status === 'succeeded'); // the queue's redelivery succeeds
    await secrets.rememberStoredTokens(id);

    const failed = await exported(() => jobRequest(id, 'failed'));
    expect(failed.data!.baseData).toMatchObject({
      success: false,
      properties: { error_code: 'graph_unavailable', provider: 'microsoft_outlook' },
    });
    const exception = collector.envelopes.find(
      (e) =>
        e.name === 'Microsoft.ApplicationInsights.Exception' &&
        e.tags?.['ai.operation.parentId'] === failed.data!.baseData!.id,
    );
    expect(exception?.data?.baseData?.exceptions?.[0]?.typeName).toBe('GraphError');
    await exported(() => jobRequest(id, 'succeeded')); // then the redelivery
    await exported(() =>
      metricSum(collector.envelopes, METRICS.failures, { error_code: 'graph_unavailable' }) >= 1 ? true : undefined,
    );
    expect(
      metricSum(collector.envelopes, METRICS.failures, { error_code: 'graph_unavailable', outcome: 'failed' }),
    ).toBe(1);
  });

  it('lost consent counts in sync.reauth_required and sync.failures; its sync.job request is failed', async () => {
    const email = 'revoked-telemetry@contoso.example';
    stack.user(email, { email, mailbox: { messages: 5 } });
    await simControl(stack.sim, 'POST', 'tokens', { access_token_ttl_s: 1 });
    const { token, id } = await secrets.connect(email, 'microsoft_outlook');
    await lastSync(token, id, (b) => b.last_sync?.status === 'succeeded');
    await secrets.rememberStoredTokens(id);
    await simControl(stack.sim, 'POST', `users/${email}/revoke`);
    await simControl(stack.sim, 'POST', 'tokens', { access_token_ttl_s: 3600 });
    await new Promise((r) => setTimeout(r, 1100)); // the 1 s access token is expired: the sync must refresh
    expect((await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'email' } })).status).toBe(
      202,
    );
    await lastSync(token, id, (b) => b.status === 'reauth_required');

    const job = await exported(() => jobRequest(id, 'reauth_required'));
    expect(job.data!.baseData).toMatchObject({
      success: false,
      properties: { outcome: 'reauth_required', provider: 'microsoft_outlook' },
    });
    await exported(() => (metricSum(collector.envelopes, METRICS.reauthRequired) >= 1 ? true : undefined));
    expect(metricSum(collector.envelopes, METRICS.reauthRequired, { provider: 'microsoft_outlook' })).toBe(1);
    expect(metricSum(collector.envelopes, METRICS.failures, { error_code: 'reauth_required' })).toBe(1);
  });

  it('recorded URLs carry no query string: Storage filters, queue parameters and Graph paging state stay out', async () => {
    const email = 'query-telemetry@contoso.example';
    stack.user(email, { email, mailbox: { messages: 30 } });
    const { token, id } = await secrets.connect(email, 'microsoft_outlook');
    await lastSync(token, id, (b) => b.last_sync?.status === 'succeeded');
    await secrets.rememberStoredTokens(id);
    const term = 'zebraquokka7319';
    expect(
      (await stack.api('GET', `integrations/email-messages?integration_id=${id}&search=${term}&limit=5`, { token }))
        .status,
    ).toBe(200);
    const urlOf = (e: Envelope) => String(e.data?.baseData?.data ?? e.data?.baseData?.url ?? '');
    const dependencies = () =>
      collector.envelopes.filter(
        (e) => e.name === 'Microsoft.ApplicationInsights.RemoteDependency' && /^https?:/.test(urlOf(e)),
      );
    // Calls whose URLs have a query on the wire: the queue's receive (numofmessages, visibilitytimeout),
    // table queries ($filter) and Graph's follow-up pages ($skiptoken).
    await exported(() =>
      dependencies().some(
        (e) => /\/sync-jobs\/messages(\?|$)/.test(urlOf(e)) && e.data?.baseData?.name?.startsWith('GET'),
      )
        ? true
        : undefined,
    );
    await exported(() => (dependencies().some((e) => /\/EmailMessages\(\)(\?|$)/.test(urlOf(e))) ? true : undefined));
    for (const dep of dependencies()) {
      expect(urlOf(dep), urlOf(dep)).not.toMatch(/[?#]/);
      expect(String(dep.data?.baseData?.name)).not.toMatch(/[?#]/);
    }
    const all = collector.bodies.join('\n');
    expect(all).not.toContain(term);
    expect(all).not.toMatch(/numofmessages=|\$filter=|%24filter=|visibilitytimeout=/i);
  });

  it('nothing exported holds a token, code, state or secret; nothing but loopback was contacted; no Live Metrics', async () => {
    await flushTelemetry();
    expect(collector.bodies.length).toBeGreaterThan(0);
    expect(secrets.values.size).toBeGreaterThan(10);
    const all = collector.bodies.join('\n');
    secrets.expectNoneIn(all);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./); // nothing JWT-shaped at all
    expect(all).not.toMatch(/deltatoken=|skiptoken=/i);
    // The exporter polls its control plane (OneSettings) 5-15 s after start whatever the options
    // say; when the run lasts that long the guard refuses it before any packet leaves. Nothing else.
    expect(guard.refused.filter((host) => host !== 'settings.sdk.monitor.azure.com')).toEqual([]);
    expect(collector.other).toEqual([]);
  });
});
