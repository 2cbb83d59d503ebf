import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { AppError, unauthenticated } from '../errors.js';
import { callerFrom, type Caller } from './caller.js';
import { createIssuerKeys, signingKeysUnavailable, type IssuerKeysOptions } from './issuer-keys.js';

export interface JwtVerifierOptions extends Omit<IssuerKeysOptions, 'issuer'> {
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  /** The delegated scope every caller token must carry in `scp` (AUTH_REQUIRED_SCOPE). */
  requiredScope: string;
  /** When non-empty, `azp` (v2) or `appid` (v1) must be one of these (AUTH_ALLOWED_CLIENT_IDS). */
  allowedClientIds?: readonly string[];
}

const claimsSchema = z.object({
  tid: z.string().min(1).max(256).optional(),
  oid: z.string().min(1).max(256).optional(),
  sub: z.string().min(1).max(256).optional(),
  scp: z.string().max(4096).optional(),
  roles: z.unknown().optional(),
  idtyp: z.string().optional(),
  azp: z.string().max(256).optional(),
  appid: z.string().max(256).optional(),
});
type Claims = z.infer<typeof claimsSchema>;

/**
 * Only a delegated access token of an allowed client, for this API, is a user (API.md, "Caller
 * identity"). An ID token has no `scp`; an app-only (client-credentials) token says `idtyp=app` or
 * carries `roles` without `scp`; either would otherwise pass signature, iss and aud when the SPA and
 * the API share a registration, or when a daemon is granted an app role on the API.
 */
function isDelegatedTokenOfAllowedClient(claims: Claims, options: JwtVerifierOptions): boolean {
  if (claims.idtyp === 'app' || claims.scp === undefined) return false;
  if (!claims.scp.split(' ').includes(options.requiredScope)) return false;
  const allowed = options.allowedClientIds ?? [];
  if (allowed.length === 0) return true;
  const client = claims.azp ?? claims.appid;
  return client !== undefined && allowed.includes(client);
}

// Asymmetric algorithms only: a shared-secret (HS*) or unsigned (`none`) token can never pass.
const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** Verifies bearer tokens against the issuer's signing keys (see createIssuerKeys for how they are fetched). */
export function createJwtVerifier(options: JwtVerifierOptions): (authorization: string | null) => Promise<Caller> {
  const keys = createIssuerKeys(options);

  return async (authorization) => {
    // The scheme name is case-insensitive (RFC 7235); the token itself is a compact JWS.
    const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '');
    if (!match?.[1]) throw unauthenticated();
    try {
      const { payload } = await jwtVerify(match[1], keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockSkewSeconds,
        requiredClaims: ['exp'],
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success || !isDelegatedTokenOfAllowedClient(claims.data, options)) throw unauthenticated();
      const caller = callerFrom(claims.data.tid, claims.data.oid, claims.data.sub);
      if (!caller) throw unauthenticated('The token names no user.');
      return caller;
    } catch (error) {
      if (error instanceof AppError) throw error; // unauthenticated, or the keys' 503
      // Key trouble that got past createIssuerKeys is an outage on the issuer's side, not a bad
      // token: a 401 here would send every user of the SPA back to sign-in for nothing.
      if (
        error instanceof errors.JWKSTimeout ||
        error instanceof TypeError ||
        (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')
      )
        throw signingKeysUnavailable();
      if (error instanceof errors.JOSEError) throw unauthenticated();
      throw error;
    }
  };
}
