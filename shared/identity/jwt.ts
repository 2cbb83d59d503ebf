import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { AppError, unauthenticated } from '../errors.js';
import { callerFrom, type Caller } from './caller.js';

export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  jwksUri?: string;
  clockSkewSeconds: number;
  /** The delegated scope every caller token must carry in `scp` (AUTH_REQUIRED_SCOPE). */
  requiredScope: string;
  /** When non-empty, `azp` (v2) or `appid` (v1) must be one of these (AUTH_ALLOWED_CLIENT_IDS). */
  allowedClientIds?: readonly string[];
  /** Minimum time between two JWKS fetches triggered by unknown `kid`s (jose's cooldown). */
  refetchCooldownMs?: number;
}

const openIdMetadata = z.object({ jwks_uri: z.url() });
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

/**
 * Verifies bearer tokens against the issuer's JWKS. jose caches the key set and refetches it when a
 * token names an unknown `kid` (rate-limited by its cooldown), which is how key rollover is followed.
 */
export function createJwtVerifier(options: JwtVerifierOptions): (authorization: string | null) => Promise<Caller> {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  const getKeySet = (): Promise<JWTVerifyGetKey> => {
    keySet ??= resolveJwksUri(options)
      .then((uri) => createRemoteJWKSet(new URL(uri), { cooldownDuration: options.refetchCooldownMs ?? 30_000, cacheMaxAge: 3_600_000 }))
      .catch((error: unknown) => {
        keySet = undefined; // retry discovery on the next request instead of failing forever
        throw error;
      });
    return keySet;
  };

  return async (authorization) => {
    // The scheme name is case-insensitive (RFC 7235); the token itself is a compact JWS.
    const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '');
    if (!match?.[1]) throw unauthenticated();
    let keys: JWTVerifyGetKey;
    try {
      keys = await getKeySet();
    } catch {
      throw signingKeysUnavailable();
    }
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
      // The issuer's keys could not be fetched: an outage on their side, not a bad token. A 401
      // here would send every user of the SPA back to sign-in for nothing.
      if (error instanceof errors.JWKSTimeout || error instanceof TypeError || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')) throw signingKeysUnavailable();
      if (error instanceof errors.JOSEError) throw unauthenticated();
      throw error;
    }
  };
}

async function resolveJwksUri(options: JwtVerifierOptions): Promise<string> {
  if (options.jwksUri) return options.jwksUri;
  const response = await fetch(`${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OpenID metadata answered ${response.status}`);
  return openIdMetadata.parse(await response.json()).jwks_uri;
}

const signingKeysUnavailable = () => new AppError('service_unavailable', "The token issuer's signing keys cannot be fetched right now. Try again shortly.");
