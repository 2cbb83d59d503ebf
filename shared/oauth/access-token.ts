import { InteractionRequiredAuthError, ServerError, type AuthenticationResult } from '@azure/msal-node';
import type { Settings } from '../config.js';
import { DecryptionError } from '../crypto/errors.js';
import { accessOf, type Integration } from '../integrations/model.js';
import type { Logger } from '../log.js';
import { scopesFor } from '../providers.js';
import { ReauthRequiredError } from './reauth-required.js';
import { createMsalClient } from './msal-client.js';
import type { TokenCacheStore } from './token-cache-store.js';

const EARLY_MS = 2 * 60 * 1000;

/**
 * The scopes a token is asked for: those Microsoft granted at connect (asking for more would need
 * consent the user never gave); an integration stored without them asks for its access level's.
 */
function grantedScopes(integration: Integration): string[] {
  return integration.scopes.length > 0
    ? integration.scopes
    : scopesFor(integration.provider, accessOf(integration), integration.sharedCalendars === true);
}

/**
 * Access tokens for one integration's Graph calls. MSAL refreshes through the persisted cache
 * (cache plugin, never acquireTokenByRefreshToken); the token is reused within a job until shortly
 * before it expires, so a sync does not read the cache row once per request.
 */
export function accessTokenProvider(
  settings: Settings,
  caches: TokenCacheStore,
  integration: Integration,
  log: Logger,
  /** Skip the cached access token once (MSAL refreshes): a subscription's reauthorization wants a fresh one. */
  options: { forceRefresh?: boolean } = {},
): () => Promise<string> {
  let forceRefresh = options.forceRefresh === true;
  const msal = createMsalClient(settings, caches.plugin(integration.id, log), log);
  let current: AuthenticationResult | undefined;
  let pending: Promise<AuthenticationResult> | undefined;

  const acquire = async (): Promise<AuthenticationResult> => {
    let account;
    try {
      account = await msal.getTokenCache().getAccountByHomeId(integration.homeAccountId);
    } catch (error) {
      // A stored cache that no longer opens (tampered, or sealed under a key that is gone) holds
      // no usable grant: the user has to connect again. Retrying cannot fix it.
      if (error instanceof DecryptionError) throw new ReauthRequiredError('token_cache_unreadable');
      throw error;
    }
    if (!account) throw new ReauthRequiredError('token_cache_missing');
    try {
      const result = await msal.acquireTokenSilent({
        account,
        scopes: grantedScopes(integration),
        ...(forceRefresh ? { forceRefresh: true } : {}),
      });
      forceRefresh = false;
      log.debug('access token acquired', {
        integration_id: integration.id,
        from_cache: result.fromCache,
        expires_on: result.expiresOn?.toISOString(),
      });
      return result;
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError)
        throw new ReauthRequiredError(error.errorCode || 'interaction_required');
      if (error instanceof ServerError && /invalid_grant/.test(error.errorCode))
        throw new ReauthRequiredError('invalid_grant');
      throw error;
    }
  };

  return async () => {
    if (current?.expiresOn && current.expiresOn.getTime() - EARLY_MS > Date.now()) return current.accessToken;
    pending ??= acquire().finally(() => {
      pending = undefined;
    });
    current = await pending;
    return current.accessToken;
  };
}
