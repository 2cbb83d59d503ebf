import type { KeyProvider } from '../crypto/key-provider.js';
import { notFound } from '../errors.js';
import type { Caller } from '../identity/caller.js';
import { ownedIntegration } from '../integrations/access.js';
import type { Integration } from '../integrations/model.js';
import type { IntegrationRepository } from '../integrations/repository.js';
import type { Provider } from '../providers.js';
import type { StorageAccount } from '../storage/account.js';

/** What a query over synced items needs: the caller's integrations, the item tables, the cursor key. */
export interface QueryPorts {
  integrations: IntegrationRepository;
  storage: StorageAccount;
  keys: KeyProvider;
}

/**
 * The integrations whose partitions a query may read: the caller's own (their Integrations
 * partition is the only place ids come from), of the providers in scope, and only the one asked
 * for when `integration_id` is given. An id that is unknown, another caller's, or one of the
 * caller's integrations of another provider is the same 404: it is not a thing this endpoint has.
 */
export async function integrationsInScope(
  repo: IntegrationRepository,
  caller: Caller,
  providers: Provider[],
  integrationId: string | undefined,
): Promise<Integration[]> {
  if (integrationId !== undefined) {
    const integration = await ownedIntegration(repo, caller, integrationId);
    if (!providers.includes(integration.provider)) throw notFound();
    return [integration];
  }
  const all = await repo.listForUser(caller.userKey);
  return all.filter((i) => providers.includes(i.provider));
}
