import type { HttpRequest } from '@azure/functions';
import { settings } from '../config.js';
import { callerFromClientPrincipal } from './easyauth.js';
import { lazy } from '../lazy.js';
import type { createJwtVerifier } from './jwt.js';
import type { Caller } from './caller.js';

export type { Caller } from './caller.js';

// jose is loaded with the first authenticated request, not at start-up.
const jwt = lazy(() => import('./jwt.js'));
let verifier: ReturnType<typeof createJwtVerifier> | undefined;

/** The request's caller per AUTH_MODE. Throws AppError `unauthenticated` (401) otherwise. */
export async function authenticate(request: HttpRequest): Promise<Caller> {
  const config = settings();
  if (config.AUTH_MODE === 'easyauth') return callerFromClientPrincipal(request.headers.get('x-ms-client-principal'));
  // In jwt mode x-ms-client-principal is never read: anyone can send that header.
  const { createJwtVerifier } = await jwt();
  verifier ??= createJwtVerifier({
    issuer: config.AUTH_ISSUER ?? '',
    audience: config.AUTH_AUDIENCE ?? '',
    jwksUri: config.AUTH_JWKS_URI,
    clockSkewSeconds: config.AUTH_CLOCK_SKEW_SECONDS,
    requiredScope: config.AUTH_REQUIRED_SCOPE,
    allowedClientIds: config.AUTH_ALLOWED_CLIENT_IDS,
  });
  return verifier(request.headers.get('authorization'));
}

/** Drops the memoised verifier (tests and the local host re-read settings). */
export function resetAuthentication(): void {
  verifier = undefined;
}
