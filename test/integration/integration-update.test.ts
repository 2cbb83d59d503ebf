import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connected, queued, renewed, started } from '../../shared/integrations/lifecycle.js';
import { IntegrationRepository } from '../../shared/integrations/repository.js';
import { startAzurite, type Azurite } from '../support/azurite.js';

// The repository's update() writes a transition under the ETag of the copy it is given, without
// reading first (the worker's heartbeat and finish), and reads again only when that ETag lost a race.

let azurite: Azurite;
let table: TableClient;
beforeAll(async () => {
  azurite = await startAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, 'Integrations', { allowInsecureConnection: true });
  await table.createTable();
});
afterAll(async () => {
  await azurite?.stop();
});

const profile = {
  account: { email: 'a@contoso.example', displayName: 'A', tenantId: 't' },
  microsoftUserId: 'oid',
  homeAccountId: 'oid.t',
  scopes: ['User.Read'],
};
const job = { job_id: randomUUID(), sync_type: 'full' as const };

async function fresh() {
  const repo = new IntegrationRepository(table);
  const key = { id: randomUUID(), userKey: `user-${randomUUID()}`, provider: 'microsoft_outlook' as const };
  return { repo, created: await repo.create(connected(key, profile, new Date())) };
}

describe('IntegrationRepository.update', () => {
  it('writes from a known copy without reading, and returns the row with its new ETag', async () => {
    const { repo, created } = await fresh();
    const reads = vi.spyOn(table, 'getEntity');
    const leased = await repo.update(created, (current) => started(current, job, new Date()));
    const beat = await repo.update(leased!, (current) => renewed(current, job.job_id, new Date(Date.now() + 1000)));
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(leased!.etag).not.toBe(created.etag);
    expect(beat!.etag).not.toBe(leased!.etag);
    const stored = await repo.get(created.userKey, created.id);
    expect(stored).toMatchObject({
      etag: beat!.etag,
      lease: beat!.lease,
      lastSync: { status: 'running', job_id: job.job_id },
    });
  });

  it('on a lost race (412) reads the row again once and re-applies the transition to it', async () => {
    const { repo, created } = await fresh();
    const other = await repo.update(created, (current) =>
      queued(current, { job_id: 'other', sync_type: 'email' }, new Date()),
    );
    const reads = vi.spyOn(table, 'getEntity');
    // `created` is stale now: the queued job of `other` is in flight, so the start of `job` must back off.
    const result = await repo.update(created, (current) =>
      current.lastSync ? undefined : started(current, job, new Date()),
    );
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    expect(result).toMatchObject({ etag: other!.etag, lastSync: { job_id: 'other', status: 'queued' }, lease: null });
  });

  it('given only the keys, reads first; an absent row is undefined', async () => {
    const { repo, created } = await fresh();
    const read = await repo.update({ userKey: created.userKey, id: created.id }, (current) =>
      started(current, job, new Date()),
    );
    expect(read?.lease?.owner).toBe(job.job_id);
    expect(await repo.update({ userKey: created.userKey, id: randomUUID() }, (current) => current)).toBeUndefined();
  });
});
