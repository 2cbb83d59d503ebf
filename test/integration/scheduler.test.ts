import { randomUUID } from 'node:crypto';
import { QueueClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrationRepository, toRow } from '../../shared/integrations/repository.js';
import type { Integration } from '../../shared/integrations/model.js';
import { createLogger } from '../../shared/log.js';
import { syncJobSchema } from '../../shared/sync/job.js';
import { scheduleDueSyncs } from '../../shared/sync/scheduler.js';
import { startAzurite, type Azurite } from '../support/azurite.js';

let azurite: Azurite;
let table: TableClient;
let queue: QueueClient;
const quiet = createLogger({ debug() {}, info() {}, warn() {}, error() {} });

beforeAll(async () => {
  azurite = await startAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, 'Integrations', { allowInsecureConnection: true });
  await table.createTable();
  queue = new QueueClient(azurite.connectionString, 'sync-jobs');
  await queue.createIfNotExists();
});
afterAll(async () => {
  await azurite?.stop();
});

function integration(i: number, overrides: Partial<Integration> = {}): Integration {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    userKey: `user-key-${String(i).padStart(20, '0')}`,
    provider: i % 2 ? 'microsoft_calendar' : 'microsoft_outlook',
    status: 'active',
    account: { email: `u${i}@contoso.example`, displayName: `U ${i}`, tenantId: 't' },
    microsoftUserId: `oid-${i}`,
    homeAccountId: `oid-${i}.t`,
    scopes: ['User.Read'],
    createdAt: now,
    updatedAt: now,
    lastSync: null,
    nextSyncAt: new Date(Date.now() - 60_000).toISOString(),
    statusReason: null,
    lease: null,
    ...overrides,
  };
}

async function insert(rows: Integration[]) {
  for (let i = 0; i < rows.length; i += 100)
    await Promise.all(rows.slice(i, i + 100).map((r) => table.createEntity(toRow(r))));
}

async function drain(): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 300 });
    if (receivedMessageItems.length === 0) return ids;
    for (const m of receivedMessageItems)
      ids.push(syncJobSchema.parse(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8'))).integration_id);
  }
}

describe('the sync fan-out timer', () => {
  it('enqueues each of 5,000 due integrations exactly once, and skips what is not due or not active', async () => {
    const due = Array.from({ length: 5000 }, (_, i) => integration(i));
    const notDue = [
      integration(90001, { nextSyncAt: new Date(Date.now() + 3600_000).toISOString() }),
      integration(90002, { status: 'reauth_required' }),
    ];
    await insert([...due, ...notDue]);
    const repo = new IntegrationRepository(table);
    const first = await scheduleDueSyncs(table, repo, queue, 15, quiet);
    expect(first).toMatchObject({ scanned: 5000, enqueued: 5000, failed: 0 });
    const second = await scheduleDueSyncs(table, repo, queue, 15, quiet);
    expect(second.enqueued).toBe(0);
    const ids = await drain();
    expect(ids).toHaveLength(5000);
    expect(new Set(ids)).toEqual(new Set(due.map((d) => d.id)));
    const sample = await repo.get(due[7]!.userKey, due[7]!.id);
    expect(sample?.lastSync?.status).toBe('queued');
    expect(Date.parse(sample!.nextSyncAt)).toBeGreaterThan(Date.now() + 10 * 60_000);
  }, 180_000);

  it('also queues due integrations in error (a sync that succeeds clears it), never reauth_required or disconnected', async () => {
    const reason = {
      code: 'graph_unavailable',
      message: 'Microsoft Graph answered 500.',
      at: new Date().toISOString(),
    };
    const failing = integration(91001, { status: 'error', statusReason: reason });
    await insert([
      failing,
      integration(91002, { status: 'reauth_required' }),
      integration(91003, { status: 'disconnected' }),
    ]);
    const repo = new IntegrationRepository(table);
    const result = await scheduleDueSyncs(table, repo, queue, 15, quiet);
    expect(result).toMatchObject({ enqueued: 1, failed: 0 });
    expect(await drain()).toEqual([failing.id]);
    expect(await repo.get(failing.userKey, failing.id)).toMatchObject({
      status: 'error',
      lastSync: { status: 'queued' },
    });
  });
});
