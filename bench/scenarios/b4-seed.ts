import { randomUUID } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { toRow } from '../../shared/integrations/repository.js';
import type { Integration } from '../../shared/integrations/model.js';
import { mapLimit } from '../lib/stats.js';

/** Integrations per caller partition: lets the seeding use batches; the scheduler scans the whole table anyway. */
const PER_PARTITION = 100;

/**
 * Writes `count` active integrations, all due (next_sync_at a minute ago) and each with the
 * last_sync of an earlier successful run, as a table in steady state holds them. Row i has the
 * same keys on every call, so calling again resets rows a scheduler run has marked queued.
 */
export async function seedIntegrations(table: TableClient, count: number): Promise<void> {
  const now = Date.now();
  const batches: TransactionAction[][] = [];
  for (let start = 0; start < count; start += PER_PARTITION) {
    const partition = Math.floor(start / PER_PARTITION);
    const actions: TransactionAction[] = [];
    for (let i = start; i < Math.min(count, start + PER_PARTITION); i++)
      actions.push(['upsert', toRow(integration(partition, i, now)), 'Replace']);
    batches.push(actions);
  }
  await mapLimit(batches, 8, (actions) => table.submitTransaction(actions));
}

function integration(partition: number, i: number, now: number): Integration {
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
  return {
    id: uuidFor(i),
    userKey: `benchcaller${String(partition).padStart(12, '0')}`,
    provider: i % 2 ? 'microsoft_calendar' : 'microsoft_outlook',
    status: 'active',
    account: {
      email: `user${i}@contoso.example`,
      displayName: `User ${i}`,
      tenantId: '9188040d-6c67-4c5b-b112-36a304b66dad',
    },
    microsoftUserId: uuidFor(i + 1e9),
    homeAccountId: `${uuidFor(i + 1e9)}.9188040d-6c67-4c5b-b112-36a304b66dad`,
    scopes: i % 2 ? ['Calendars.Read', 'User.Read'] : ['Mail.Read', 'User.Read'],
    createdAt: at(-30 * 86_400_000),
    updatedAt: at(-16 * 60_000),
    lastSync: {
      status: 'succeeded',
      sync_type: 'full',
      job_id: randomUUID(),
      queued_at: at(-17 * 60_000),
      started_at: at(-17 * 60_000),
      finished_at: at(-16 * 60_000),
      items_upserted: 0,
      items_deleted: 0,
      error: null,
    },
    nextSyncAt: at(-60_000),
    statusReason: null,
    lease: null,
  };
}

/** A stable UUID-shaped id for row i (the job schema wants a UUID). */
const uuidFor = (i: number) => {
  const hex = i.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex.slice(-12)}`;
};
