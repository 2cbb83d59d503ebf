import type { InvocationContext } from '@azure/functions';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../dev/host/host.js';
import type { QueueFunction } from '../../shared/functions/definitions.js';
import { startAzurite, type Azurite } from '../support/azurite.js';

// A host.json copy with small numbers so retries and poison happen within seconds.
const testHostJson = {
  version: '2.0',
  functionTimeout: '00:00:30',
  extensions: {
    queues: {
      batchSize: 4,
      newBatchThreshold: 2,
      maxPollingInterval: '00:00:00.200',
      visibilityTimeout: '00:00:01',
      maxDequeueCount: 3,
      messageEncoding: 'base64',
    },
  },
};
const b64 = (text: string) => Buffer.from(text).toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Delivery {
  input: unknown;
  meta: Record<string, unknown>;
  start: number;
  end?: number;
}

describe('local host: queue trigger against Azurite', () => {
  let azurite: Azurite;
  let dir: string;
  let hostJsonPath: string;
  let service: QueueServiceClient;
  const hosts: RunningHost[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    [azurite, dir] = await Promise.all([startAzurite(), mkdtemp(join(tmpdir(), 'host-json-'))]);
    hostJsonPath = join(dir, 'host.json');
    await writeFile(hostJsonPath, JSON.stringify(testHostJson));
    service = QueueServiceClient.fromConnectionString(azurite.connectionString);
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.stop()));
  });
  afterAll(async () => {
    await azurite?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts a host with one queue function on `%Q%` and records each delivery. */
  async function hostFor(queueName: string, handler: (d: Delivery, calls: Delivery[]) => unknown, storage = azurite) {
    const calls: Delivery[] = [];
    const fn: QueueFunction = {
      kind: 'queue',
      name: 'worker',
      queueName: '%Q%',
      connection: 'AzureWebJobsStorage',
      handler: async (input: unknown, context: InvocationContext) => {
        const d: Delivery = { input, meta: { ...context.triggerMetadata }, start: Date.now() };
        calls.push(d);
        try {
          return await handler(d, calls);
        } finally {
          d.end = Date.now();
        }
      },
    };
    const env = { Q: queueName, AzureWebJobsStorage: storage.connectionString };
    hosts.push(await startHost({ definitions: [fn], port: 0, hostJsonPath, env, log: (l) => lines.push(l) }));
    return { calls, queue: service.getQueueClient(queueName), poison: service.getQueueClient(`${queueName}-poison`) };
  }
  const count = async (q: QueueClient) => (await q.getProperties()).approximateMessagesCount;
  const peekAll = async (q: QueueClient) =>
    (await q.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => m.messageText);

  it('delivers an always-failing message exactly maxDequeueCount times, then leaves it in <queue>-poison', async () => {
    const { calls, queue, poison } = await hostFor('always-fails', () => {
      throw new Error('handler failure');
    });
    const body = b64(JSON.stringify({ integration_id: 'i-1' }));
    await queue.sendMessage(body);
    await expect.poll(() => peekAll(poison), { timeout: 15_000, interval: 100 }).toEqual([body]);
    expect(calls.map((c) => c.meta.dequeueCount)).toEqual([1, 2, 3]);
    // Each retry waited for visibilityTimeout (1 s) after the failure before it was visible again.
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.start - calls[i - 1]!.end!).toBeGreaterThanOrEqual(900);
    await sleep(1500);
    expect(calls).toHaveLength(3);
    expect(await count(queue)).toBe(0);
    expect(
      lines.some((l) =>
        /Queue 'always-fails': message \S+ has reached maxDequeueCount \(3\); moving it to 'always-fails-poison'/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it('retries a message that fails once; the handler sees dequeueCount 2 and it is then deleted', async () => {
    const { calls, queue, poison } = await hostFor('fails-once', (_d, all) => {
      if (all.length === 1) throw new Error('transient');
    });
    await queue.sendMessage(b64('{"n":1}'));
    await expect.poll(() => calls.length, { timeout: 10_000, interval: 50 }).toBe(2);
    expect(calls.map((c) => [c.meta.dequeueCount, c.input])).toEqual([
      [1, { n: 1 }],
      [2, { n: 1 }],
    ]);
    expect(calls[1]!.meta.id).toBe(calls[0]!.meta.id);
    await expect.poll(() => count(queue), { timeout: 5000, interval: 100 }).toBe(0);
    expect(await count(poison)).toBe(0);
  });

  it('decodes base64 then JSON (else passes the string), fills triggerMetadata, and poisons undecodable bodies at once', async () => {
    const { calls, queue, poison } = await hostFor('decoding', () => undefined);
    const sent = await queue.sendMessage(b64('{"integration_id":"i-9","sync_type":"delta"}'));
    await queue.sendMessage(b64('just text, not JSON'));
    await queue.sendMessage('%%% not base64 %%%');
    await expect.poll(() => peekAll(poison), { timeout: 10_000, interval: 100 }).toEqual(['%%% not base64 %%%']);
    await expect.poll(() => calls.length, { timeout: 5000, interval: 50 }).toBe(2);
    const json = calls.find((c) => typeof c.input === 'object')!;
    expect(json.input).toEqual({ integration_id: 'i-9', sync_type: 'delta' });
    expect(calls.find((c) => typeof c.input === 'string')?.input).toBe('just text, not JSON');
    expect(json.meta).toMatchObject({
      id: sent.messageId,
      dequeueCount: 1,
      insertionTime: sent.insertedOn.toISOString(),
      expirationTime: sent.expiresOn.toISOString(),
      popReceipt: expect.any(String),
      queueTrigger: '{"integration_id":"i-9","sync_type":"delta"}',
    });
    expect(Date.parse(String(json.meta.nextVisibleTime))).toBeGreaterThan(Date.now() + 60_000); // leased while running
    await sleep(500);
    expect(calls).toHaveLength(2);
  });

  it('runs at most batchSize invocations at once and keeps the queue drained in batches', async () => {
    let running = 0;
    let peak = 0;
    const { calls, queue } = await hostFor('batches', async () => {
      peak = Math.max(peak, ++running);
      await sleep(300);
      running--;
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.sendMessage(b64(String(i)))));
    await expect.poll(() => calls.filter((c) => c.end).length, { timeout: 15_000, interval: 50 }).toBe(10);
    expect(peak).toBe(4);
    expect(calls.map((c) => c.input).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expect.poll(() => count(queue), { timeout: 5000, interval: 100 }).toBe(0);
  });

  it('stop() stops polling and waits for the invocation in flight to finish and settle', async () => {
    const { calls, queue } = await hostFor('graceful', () => sleep(700));
    await queue.sendMessage(b64('"work"'));
    await expect.poll(() => calls.length, { timeout: 5000, interval: 20 }).toBe(1);
    await hosts.pop()!.stop();
    expect(calls[0]!.end).toBeDefined();
    expect(await count(queue)).toBe(0);
    await queue.sendMessage(b64('"after stop"'));
    await sleep(600);
    expect(calls).toHaveLength(1);
  });

  it('keeps polling through a storage outage and resumes when storage is back', async () => {
    const persistDir = await mkdtemp(join(tmpdir(), 'azurite-outage-'));
    const storage = await startAzurite({ persistDir });
    try {
      const { calls } = await hostFor('outage', () => undefined, storage);
      const queue = QueueServiceClient.fromConnectionString(storage.connectionString).getQueueClient('outage');
      await storage.stop();
      await sleep(800);
      await storage.start();
      await queue.sendMessage(b64('"back"'));
      await expect.poll(() => calls.map((c) => c.input), { timeout: 10_000, interval: 100 }).toEqual(['back']);
      expect(lines.some((l) => l.startsWith("Queue 'outage' (function 'worker') cannot poll its queue"))).toBe(true);
    } finally {
      await Promise.all(hosts.splice(0).map((h) => h.stop()));
      await storage.stop();
      await rm(persistDir, { recursive: true, force: true });
    }
  });
});
