import type { StorageAccount } from '../storage/account.js';
import { deletePartition } from '../storage/partition.js';

/** Removes everything stored for an integration except its own row: tokens, synced items, sync state. */
export async function purgeIntegrationData(storage: StorageAccount, integrationId: string): Promise<void> {
  const [caches, events, messages, state] = await Promise.all([
    storage.table('TokenCaches'),
    storage.table('CalendarEvents'),
    storage.table('EmailMessages'),
    storage.table('SyncState'),
  ]);
  await deletePartition(caches, integrationId);
  await Promise.all([deletePartition(events, integrationId), deletePartition(messages, integrationId)]);
  await deletePartition(state, integrationId);
}
