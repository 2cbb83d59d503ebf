import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import type { Integration } from './model.js';
import { purgeIntegrationData } from './purge.js';
import type { IntegrationRepository } from './repository.js';

/**
 * Disconnects in three steps that a retried DELETE can resume: mark the row `disconnected` (from
 * then on every endpoint answers 404 for it and syncs skip it), remove its tokens, synced items
 * and sync state, then delete the row. If the purge fails, the row stays as a tombstone that a
 * second DELETE finds and finishes; a sync still running stops at its next lease check, and a
 * job that finds the row gone purges whatever it wrote late.
 */
export async function disconnect(d: Deps, repo: IntegrationRepository, integration: Integration, log: Logger): Promise<void> {
  if (integration.status !== 'disconnected') {
    await repo.update(integration.userKey, integration.id, (current) => ({ ...current, status: 'disconnected', lease: null }), integration);
  }
  await purgeIntegrationData(d.storage, integration.id);
  await repo.delete(integration.userKey, integration.id);
  log.info('integration disconnected', { integration_id: integration.id, provider: integration.provider });
}
