import type { HttpRequest } from '@azure/functions';
import type { Settings } from '../config.js';
import { callerFromClientPrincipal } from './easyauth.js';
import { lazy } from '../lazy.js';
import type { createJwtVerifier } from './jwt.js';
import type { Caller } from './caller.js';

export type { Caller } from './caller.js';

// jose is loaded with the first authenticated request, not at start-up.
const jwt = lazy(() => import('./jwt.js'));
let verifier: { for: AuthSettings; verify: ReturnType<typeof createJwtVerifier> } | undefined;

export type AuthSettings = Pick<
  Settings,
  | 'AUTH_MODE'
  | 'AUTH_ISSUER'
  | 'AUTH_AUDIENCE'
  | 'AUTH_JWKS_URI'
  | 'AUTH_CLOCK_SKEW_SECONDS'
  | 'AUTH_REQUIRED_SCOPE'
  | 'AUTH_ALLOWED_CLIENT_IDS'
>;

/**
 * The request's caller per AUTH_MODE (settings from the composition root). Throws AppError
 * `unauthenticated` (401) otherwise. The JWT verifier is kept while the settings stay the same.
 */
export async function authenticate(request: HttpRequest, config: AuthSettings): Promise<Caller> {
  if (config.AUTH_MODE === 'easyauth') return callerFromClientPrincipal(request.headers.get('x-ms-client-principal'));
  // In jwt mode x-ms-client-principal is never read: anyone can send that header.
  const { createJwtVerifier } = await jwt();
  if (verifier?.for !== config) {
    const verify = createJwtVerifier({
      issuer: config.AUTH_ISSUER ?? '',
      audience: config.AUTH_AUDIENCE ?? '',
      jwksUri: config.AUTH_JWKS_URI,
      clockSkewSeconds: config.AUTH_CLOCK_SKEW_SECONDS,
      requiredScope: config.AUTH_REQUIRED_SCOPE,
      allowedClientIds: config.AUTH_ALLOWED_CLIENT_IDS,
    });
    verifier = { for: config, verify };
  }
  return verifier.verify(request.headers.get('authorization'));
}

/** Drops the memoised verifier (tests and the local host re-read settings). */
export function resetAuthentication(): void {
  verifier = undefined;
}
