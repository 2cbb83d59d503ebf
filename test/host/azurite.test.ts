import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../support/azurite.js';

// The harness every storage test relies on: the real SDK clients, at their current API versions,
// must work against it, and a restart must keep the ports (and, when persisted, the data).
describe('startAzurite', () => {
  const started: Azurite[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(started.map((a) => a.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('serves the real Tables and Queues clients, and restarts on the same ports with its data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'azurite-'));
    dirs.push(dir);
    const azurite = await startAzurite({ persistDir: dir });
    started.push(azurite);
    expect(new Set([azurite.blobPort, azurite.queuePort, azurite.tablePort]).size).toBe(3);
    expect(azurite.connectionString).toContain(`QueueEndpoint=http://127.0.0.1:${azurite.queuePort}/devstoreaccount1`);

    const table = TableClient.fromConnectionString(azurite.connectionString, 'Harness', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('harness');
    await queue.createIfNotExists();
    await queue.sendMessage('hello');

    await azurite.stop();
    // Down means down: nothing listens on the port any more.
    await expect(fetch(`http://127.0.0.1:${azurite.tablePort}/`)).rejects.toThrow();
    await azurite.start();

    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(42);
    const received = await queue.receiveMessages();
    expect(received.receivedMessageItems.map((m) => m.messageText)).toEqual(['hello']);
  });

  it('starts independent in-memory instances on distinct ports', async () => {
    const [a, b] = await Promise.all([startAzurite(), startAzurite()]);
    started.push(a, b);
    expect(a.queuePort).not.toBe(b.queuePort);
    const qa = QueueServiceClient.fromConnectionString(a.connectionString).getQueueClient('only-in-a');
    await qa.create();
    const names: string[] = [];
    for await (const q of QueueServiceClient.fromConnectionString(b.connectionString).listQueues()) names.push(q.name);
    expect(names).not.toContain('only-in-a');
  });
});
