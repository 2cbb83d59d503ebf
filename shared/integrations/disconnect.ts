import type { Logger } from '../log.js';
import type { StorageAccount } from '../storage/account.js';
import { disconnected } from './lifecycle.js';
import type { Integration } from './model.js';
import { purgeIntegrationData } from './purge.js';
import type { IntegrationRepository } from './repository.js';

/**
 * Disconnects in three steps that a retried DELETE can resume: mark the row `disconnected` (from
 * then on every endpoint answers 404 for it and syncs skip it), remove its tokens, synced items
 * and sync state, then delete the row. If the purge fails, the row stays as a tombstone that a
 * second DELETE (or the next job for it) finds and finishes; a sync still running stops at its
 * next lease check and purges whatever it wrote late.
 */
export async function disconnect(
  ports: { integrations: IntegrationRepository; storage: StorageAccount; log: Logger },
  integration: Integration,
): Promise<void> {
  if (integration.status !== 'disconnected') await ports.integrations.update(integration, disconnected);
  await purgeIntegrationData(ports.storage, integration.id);
  await ports.integrations.delete(integration.userKey, integration.id);
  ports.log.info('integration disconnected', { integration_id: integration.id, provider: integration.provider });
}
