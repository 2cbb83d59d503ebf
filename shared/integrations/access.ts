import { notFound } from '../errors.js';
import type { Caller } from '../identity/caller.js';
import type { Integration } from './model.js';
import type { IntegrationRepository } from './repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The caller's integration with this id, or 404. A malformed, unknown or foreign id are the same
 * 404: the point read is inside the caller's partition, so another user's row is never even read.
 */
export async function ownedIntegration(
  repo: IntegrationRepository,
  caller: Caller,
  id: string | undefined,
  /** DELETE finds a half-deleted integration again, so a retried DELETE can finish the purge. */
  options: { includeDisconnected?: boolean } = {},
): Promise<Integration> {
  if (!id || !UUID.test(id)) throw notFound();
  const integration = await repo.get(caller.userKey, id.toLowerCase());
  if (!integration || (integration.status === 'disconnected' && !options.includeDisconnected)) throw notFound();
  return integration;
}
