import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadHostJson, parseHostJson, parseTimeSpan } from '../../dev/host/host-json.js';

const repoHostJson = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'host.json');

describe('host.json', () => {
  it("reads the repository's host.json", async () => {
    expect(await loadHostJson(repoHostJson)).toEqual({
      routePrefix: 'api',
      functionTimeoutMs: 10 * 60_000,
      queues: {
        batchSize: 16,
        newBatchThreshold: 8,
        maxPollingIntervalMs: 500,
        visibilityTimeoutMs: 5000,
        maxDequeueCount: 5,
        messageEncoding: 'base64',
      },
    });
  });

  it("fills in the Functions host's documented defaults", () => {
    expect(parseHostJson('{"version":"2.0"}')).toEqual({
      routePrefix: 'api',
      functionTimeoutMs: 30 * 60_000,
      queues: {
        batchSize: 16,
        newBatchThreshold: Math.floor((availableParallelism() * 16) / 2),
        maxPollingIntervalMs: 60_000,
        visibilityTimeoutMs: 0,
        maxDequeueCount: 5,
        messageEncoding: 'base64',
      },
    });
  });

  it('accepts an empty route prefix, an unbounded timeout and fractional TimeSpans', () => {
    const config = parseHostJson(
      JSON.stringify({
        version: '2.0',
        functionTimeout: '-1',
        extensions: {
          http: { routePrefix: '' },
          queues: { maxPollingInterval: '00:00:00.250', messageEncoding: 'none', batchSize: 4 },
        },
      }),
    );
    expect(config).toMatchObject({ routePrefix: '', functionTimeoutMs: null });
    expect(config.queues).toMatchObject({
      maxPollingIntervalMs: 250,
      messageEncoding: 'none',
      newBatchThreshold: Math.floor(availableParallelism() * 2),
    });
  });

  it.each([
    ['not json', /not valid JSON/],
    ['{}', /version/],
    ['{"version":"1.0"}', /version/],
    ['{"version":"2.0","functionTimeout":"10 minutes"}', /functionTimeout[\s\S]*not a TimeSpan/],
    ['{"version":"2.0","extensions":{"queues":{"batchSize":64}}}', /batchSize/],
    ['{"version":"2.0","extensions":{"queues":{"maxDequeueCount":0}}}', /maxDequeueCount/],
    [
      '{"version":"2.0","extensions":{"queues":{"maxPollingInterval":"00:00:00.010"}}}',
      /maxPollingInterval[\s\S]*between 100 ms/,
    ],
    ['{"version":"2.0","extensions":{"queues":{"messageEncoding":"utf8"}}}', /messageEncoding/],
    ['{"version":"2.0","extensions":{"http":{"routePrefix":"a b"}}}', /routePrefix/],
  ])('rejects %s with a message naming the field', (text, message) => {
    expect(() => parseHostJson(text)).toThrow(message);
  });

  it.each([
    ['00:00:05', 5000],
    ['00:10:00', 600_000],
    ['1.02:00:00', 26 * 3600_000],
    ['00:00:00.1', 100],
    ['00:00:01.5000000', 1500],
  ])('parses the TimeSpan %s', (text, ms) => {
    expect(parseTimeSpan(text)).toBe(ms);
  });

  it.each(['5', '00:60:00', '24:00:00', 'aa:bb:cc', ''])('rejects the TimeSpan %j', (text) => {
    expect(parseTimeSpan(text)).toBeUndefined();
  });
});
