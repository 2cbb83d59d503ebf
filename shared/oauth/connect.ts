import { createHash } from 'node:crypto';
import { AuthError, ServerError, type AuthenticationResult } from '@azure/msal-node';
import type { Settings } from '../config.js';
import { AppError } from '../errors.js';
import type { Caller } from '../identity/caller.js';
import { connected, reconnected, type AccountProfile } from '../integrations/lifecycle.js';
import { accessOf, type Integration } from '../integrations/model.js';
import type { IntegrationRepository } from '../integrations/repository.js';
import { isConflict } from '../storage/status.js';
import type { Logger } from '../log.js';
import { ACCESS_RANK, OIDC_SCOPES, scopesFor, type Access, type Provider } from '../providers.js';
import { createMsalClient } from './msal-client.js';
import { createPkcePair } from './pkce.js';
import type { OAuthStateStore } from './state-store.js';
import type { TokenCacheStore } from './token-cache-store.js';

export interface ConnectPorts {
  settings: Settings;
  states: OAuthStateStore;
  integrations: IntegrationRepository;
  tokenCaches: TokenCacheStore;
  log: Logger;
  /** Called after a (re)connect so the first sync starts without waiting for the timer. */
  afterConnect?: (integration: Integration) => Promise<unknown>;
  now?: () => Date;
}

/**
 * Integrations one caller may hold (every provider, every Microsoft account; disconnected ones do not
 * count). Each costs a sync job per cycle and a partition of rows: an unbounded number would let one
 * caller's sign-in loop grow the fan-out and the store without end.
 */
export const MAX_INTEGRATIONS_PER_CALLER = 20;

const limitReached = () =>
  new AppError(
    'integration_limit_reached',
    `A caller may connect at most ${MAX_INTEGRATIONS_PER_CALLER} integrations: disconnect one first.`,
  );

async function atLimit(ports: ConnectPorts, caller: Caller, provider?: Provider): Promise<boolean> {
  const held = await ports.integrations.listForUser(caller.userKey);
  if (held.length < MAX_INTEGRATIONS_PER_CALLER) return false;
  // At the limit a sign-in may still renew one of the caller's integrations of this provider (a
  // reconnect after reauth_required): only the callback knows which account it is.
  return provider === undefined || !held.some((i) => i.provider === provider);
}

export async function initiate(ports: ConnectPorts, caller: Caller, input: InitiateInput) {
  const redirectUri = input.redirect_uri ?? ports.settings.OAUTH_REDIRECT_URIS[0];
  if (!redirectUri || !ports.settings.OAUTH_REDIRECT_URIS.includes(redirectUri)) {
    throw new AppError('validation_failed', 'redirect_uri is not one of the registered redirect URIs.', [
      { field: 'redirect_uri', message: 'not an allowed redirect URI' },
    ]);
  }
  // Refused before the user goes to Microsoft when no renewal is possible; the callback decides otherwise.
  if (await atLimit(ports, caller, input.provider)) throw limitReached();
  const pkce = createPkcePair();
  const access = input.access ?? 'read';
  const sharedCalendars = input.provider === 'microsoft_calendar' && input.shared_calendars === true;
  const { state, expiresAt } = await ports.states.create({
    userKey: caller.userKey,
    provider: input.provider,
    redirectUri,
    codeVerifier: pkce.verifier,
    access,
    sharedCalendars,
  });
  const authorizationUrl = await createMsalClient(ports.settings, undefined, ports.log).getAuthCodeUrl({
    scopes: [...scopesFor(input.provider, access, sharedCalendars), ...OIDC_SCOPES],
    redirectUri,
    state,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: 'S256',
    responseMode: 'query',
    // MSAL drops login_hint under prompt=select_account: ask for the account picker only without a hint.
    ...(input.login_hint ? { loginHint: input.login_hint } : { prompt: 'select_account' }),
  });
  ports.log.debug('oauth sign-in started', {
    provider: input.provider,
    redirect_uri: redirectUri,
    login_hint: Boolean(input.login_hint),
    access,
    shared_calendars: sharedCalendars,
    pkce: 'S256',
  });
  return { authorization_url: authorizationUrl, state, provider: input.provider, expires_at: expiresAt.toISOString() };
}

export interface InitiateInput {
  provider: Provider;
  redirect_uri?: string;
  login_hint?: string;
  access?: Access;
  shared_calendars?: boolean;
}

export type CallbackInput =
  | { provider: Provider; state: string; code: string }
  | { provider: Provider; state: string; error: string; error_description?: string };

/** Completes a sign-in: consumes the state, redeems the code, stores the tokens, creates or renews the integration. */
export async function complete(
  ports: ConnectPorts,
  caller: Caller,
  input: CallbackInput,
): Promise<{ integration: Integration; created: boolean }> {
  const pending = await ports.states.consume(input.state, caller.userKey, input.provider);
  if ('error' in input) {
    if (input.error === 'access_denied' || input.error === 'consent_required') {
      throw new AppError('consent_denied', 'The user did not grant access at Microsoft.');
    }
    // error_description is never repeated: it is free text from the redirect.
    const known = /^[a-z_]{1,64}$/.test(input.error) ? ` (${input.error})` : '';
    throw new AppError('oauth_exchange_failed', `Microsoft did not complete the sign-in${known}.`);
  }
  const msal = createMsalClient(ports.settings, undefined, ports.log);
  let result: AuthenticationResult;
  try {
    result = await msal.acquireTokenByCode({
      code: input.code,
      scopes: scopesFor(input.provider, pending.access, pending.sharedCalendars),
      redirectUri: pending.redirectUri,
      codeVerifier: pending.codeVerifier,
    });
  } catch (error) {
    throw exchangeError(error, ports.log);
  }
  ports.log.debug('oauth code redeemed', {
    provider: input.provider,
    scopes: result.scopes,
    has_account: Boolean(result.account),
  });
  const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
  const account = result.account;
  const microsoftUserId = String(claims.oid ?? account?.localAccountId ?? '');
  if (!account || !microsoftUserId) throw new AppError('oauth_exchange_failed', 'Microsoft returned no account.');
  const now = (ports.now ?? (() => new Date()))();
  const profile: AccountProfile = {
    account: {
      email: String(claims.email ?? claims.preferred_username ?? account.username),
      displayName: String(claims.name ?? account.name ?? ''),
      tenantId: String(claims.tid ?? account.tenantId),
    },
    microsoftUserId,
    homeAccountId: account.homeAccountId,
    scopes: result.scopes.filter((s) => !OIDC_SCOPES.includes(s.toLowerCase())),
    access: pending.access,
    sharedCalendars: pending.sharedCalendars,
  };
  const cache = msal.getTokenCache().serialize();

  // One integration per caller, provider and Microsoft account: its id is derived from them, so two
  // callbacks racing for the same account meet on the same row instead of creating two.
  const id = integrationIdFor(caller.userKey, input.provider, profile.account.tenantId, microsoftUserId);
  let existing = await ports.integrations.get(caller.userKey, id);
  // A new account past the limit is refused before its tokens are stored; a renewal always passes.
  if ((!existing || existing.status === 'disconnected') && (await atLimit(ports, caller))) throw limitReached();
  // A live integration is never narrowed by a reconnect: its writes (or shared calendars) would
  // stop working behind the SPA's back. Checked before the narrower tokens replace the stored ones.
  if (existing && existing.status !== 'disconnected' && narrows(existing, profile)) throw accessDowngrade();
  // Tokens first: an integration row never exists without the tokens to sync it.
  await ports.tokenCaches.put(id, cache);
  let integration: Integration | undefined;
  if (!existing) {
    try {
      const key = { id, userKey: caller.userKey, provider: input.provider };
      integration = await ports.integrations.create(connected(key, profile, now));
    } catch (error) {
      if (!isConflict(error)) throw error;
      existing = await ports.integrations.get(caller.userKey, id); // the other callback won
    }
  }
  const renewed = Boolean(existing && existing.status !== 'disconnected');
  if (!integration) {
    const target = existing ?? { userKey: caller.userKey, id };
    integration = await ports.integrations.update(target, (current) => reconnected(current, profile, now));
    if (!integration)
      throw new AppError('service_unavailable', 'The integration changed while connecting. Start again.');
  }
  const done = integration;
  ports.log.info('integration connected', { integration_id: done.id, provider: input.provider, renewed });
  const after = await ports.afterConnect?.(done).then(() => ports.integrations.get(caller.userKey, done.id));
  return { integration: after ?? done, created: !renewed };
}

const accessDowngrade = () =>
  new AppError(
    'access_downgrade',
    'This account is connected with wider access; disconnect it first to connect it with less.',
  );

function narrows(existing: Integration, profile: AccountProfile): boolean {
  const access = profile.access ?? 'read';
  return (
    ACCESS_RANK[access] < ACCESS_RANK[accessOf(existing)] ||
    (existing.sharedCalendars === true && !profile.sharedCalendars)
  );
}

/** Only Microsoft's AADSTS code reaches the caller: never the description, trace ids or tokens. */
function exchangeError(error: unknown, log: Logger): AppError {
  if (
    error instanceof ServerError ||
    (error instanceof AuthError && /invalid_grant|invalid_client|AADSTS/.test(error.errorCode + error.errorMessage))
  ) {
    const aadsts = /AADSTS\d{4,7}/.exec(error.errorMessage)?.[0];
    log.warn('authorization code refused', { error_code: error.errorCode, aadsts });
    return new AppError(
      'oauth_exchange_failed',
      aadsts ? `Microsoft refused the authorization code (${aadsts}).` : 'Microsoft refused the authorization code.',
    );
  }
  log.error('authorization code exchange failed', { error });
  return new AppError('service_unavailable', 'Microsoft could not be reached to complete the sign-in. Start again.');
}

/** A UUID-shaped id derived from who connected which Microsoft account for which provider. */
export function integrationIdFor(
  userKey: string,
  provider: Provider,
  tenantId: string,
  microsoftUserId: string,
): string {
  const h = createHash('sha256').update(`${userKey}|${provider}|${tenantId}|${microsoftUserId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
