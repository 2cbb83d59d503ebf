import { deps, type Deps } from './deps.js';
import { IntegrationRepository } from './integrations/repository.js';
import type { Logger } from './log.js';
import type { ConnectPorts } from './oauth/connect.js';
import { OAuthStateStore } from './oauth/state-store.js';
import { TokenCacheStore } from './oauth/token-cache-store.js';

/** Repositories over the worker's shared adapters (tables are created on first use). */
export async function repositories(d?: Deps) {
  const { storage, envelope } = d ?? (await deps());
  const [integrations, states, caches] = await Promise.all([
    storage.table('Integrations'),
    storage.table('OAuthStates'),
    storage.table('TokenCaches'),
  ]);
  return {
    integrations: new IntegrationRepository(integrations),
    states: new OAuthStateStore(states, envelope),
    tokenCaches: new TokenCacheStore(caches, envelope),
  };
}

export async function connectPorts(log: Logger, afterConnect?: ConnectPorts['afterConnect']): Promise<ConnectPorts> {
  const d = await deps();
  return { settings: d.settings, ...(await repositories(d)), log, afterConnect };
}
