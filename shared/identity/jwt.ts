import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { AppError, unauthenticated } from '../errors.js';
import { callerFrom, type Caller } from './caller.js';

export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  jwksUri?: string;
  clockSkewSeconds: number;
  /** Minimum time between two JWKS fetches triggered by unknown `kid`s (jose's cooldown). */
  refetchCooldownMs?: number;
}

const openIdMetadata = z.object({ jwks_uri: z.url() });
const claimsSchema = z.object({
  tid: z.string().min(1).max(256).optional(),
  oid: z.string().min(1).max(256).optional(),
  sub: z.string().min(1).max(256).optional(),
});

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
      const caller = claims.success ? callerFrom(claims.data.tid, claims.data.oid, claims.data.sub) : undefined;
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
