import type { StorageAccount } from '../storage/account.js';
import { deletePartition } from '../storage/partition.js';
import { SubscriptionRows } from '../storage/subscription-rows.js';

/**
 * Removes everything stored for an integration except its own row: tokens, synced items, sync
 * state, and its subscription rows (notifications to them are then dropped as unknown).
 */
export async function purgeIntegrationData(storage: StorageAccount, integrationId: string): Promise<void> {
  const [caches, events, messages, state, subscriptions] = await Promise.all([
    storage.table('TokenCaches'),
    storage.table('CalendarEvents'),
    storage.table('EmailMessages'),
    storage.table('SyncState'),
    storage.table('Subscriptions'),
  ]);
  await new SubscriptionRows(subscriptions).purge(integrationId);
  await deletePartition(caches, integrationId);
  await Promise.all([deletePartition(events, integrationId), deletePartition(messages, integrationId)]);
  await deletePartition(state, integrationId);
}
