import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import type { Integration } from './model.js';
import { purgeIntegrationData } from './purge.js';
import type { IntegrationRepository } from './repository.js';

/**
 * Disconnects: the integration row goes first, so from that instant the id is 404 everywhere and
 * queries (which start from the caller's integrations) return nothing of it; then its tokens,
 * synced items and sync state are removed. A sync still running notices the row is gone and
 * purges again when it ends (sync/worker), so late writes do not survive either.
 */
export async function disconnect(d: Deps, repo: IntegrationRepository, integration: Integration, log: Logger): Promise<void> {
  await repo.delete(integration.userKey, integration.id);
  await purgeIntegrationData(d.storage, integration.id);
  log.info('integration disconnected', { integration_id: integration.id, provider: integration.provider });
}
