import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, disconnected } from '../../shared/integrations/lifecycle.js';
import type { Integration } from '../../shared/integrations/model.js';
import { createLogger } from '../../shared/log.js';
import { adapters } from '../../shared/root.js';
import type { TableName } from '../../shared/storage/names.js';
import { newJob } from '../../shared/sync/job.js';
import { runSyncJob } from '../../shared/sync/run-job.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { useSettings } from '../support/settings.js';

// Issue 19, finding 12: the queue message names the user key, and the worker used to purge an
// integration's data whenever no row was found under (user key, integration id), so a job with a
// wrong user key removed another user's tokens, items and sync state. Only a disconnect's
// tombstone (the row marked `disconnected` under that user key) now leads to a purge.

const DATA_TABLES: TableName[] = ['TokenCaches', 'CalendarEvents', 'EmailMessages', 'SyncState'];
const quiet = createLogger({ debug() {}, info() {}, warn() {}, error() {} });
let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
  useSettings({ AzureWebJobsStorage: azurite.connectionString });
});
afterAll(async () => {
  await azurite?.stop();
});

const userKey = () => randomUUID().replaceAll('-', '');

async function integrationWithData(owner: string): Promise<Integration> {
  const a = await adapters();
  const { integrations } = await a.stores();
  const profile = {
    account: { email: 'a@contoso.example', displayName: 'A', tenantId: 't' },
    microsoftUserId: randomUUID(),
    homeAccountId: 'h.t',
    scopes: ['User.Read'],
  };
  const integration = await integrations.create(
    connected({ id: randomUUID(), userKey: owner, provider: 'microsoft_calendar' }, profile, new Date()),
  );
  for (const name of DATA_TABLES)
    await (await a.storage.table(name)).createEntity({ partitionKey: integration.id, rowKey: 'r1', value: 'kept' });
  return integration;
}

async function rowsLeft(integrationId: string): Promise<Record<string, number>> {
  const a = await adapters();
  const counts: Record<string, number> = {};
  for (const name of DATA_TABLES) {
    let n = 0;
    for await (const _ of (await a.storage.table(name)).listEntities({
      queryOptions: { filter: `PartitionKey eq '${integrationId}'` },
    }))
      n++;
    counts[name] = n;
  }
  return counts;
}

async function run(job: ReturnType<typeof newJob>) {
  const a = await adapters();
  return runSyncJob({ ...a, ...(await a.stores()), log: quiet }, job);
}

const all = (n: number) => Object.fromEntries(DATA_TABLES.map((t) => [t, n]));

describe('a sync job that finds no integration row of its user', () => {
  it("leaves another user's integration and data alone when the job's user key is wrong", async () => {
    const victim = await integrationWithData(userKey());
    const outcome = await run(newJob(userKey(), victim.id, 'full'));
    expect(outcome).toEqual({ kind: 'skipped', reason: 'no such integration' });
    expect(await rowsLeft(victim.id)).toEqual(all(1));
    const { integrations } = await (await adapters()).stores();
    expect((await integrations.get(victim.userKey, victim.id))?.status).toBe('active');
  });

  it('finishes the purge that a disconnect tombstone under its own user key names', async () => {
    const owner = userKey();
    const leaving = await integrationWithData(owner);
    const { integrations } = await (await adapters()).stores();
    await integrations.update(leaving, disconnected);
    const outcome = await run(newJob(owner, leaving.id, 'full'));
    expect(outcome).toEqual({ kind: 'skipped', reason: 'integration disconnected' });
    expect(await rowsLeft(leaving.id)).toEqual(all(0));
  });
});
