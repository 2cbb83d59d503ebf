import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { AppError } from '../errors.js';

export interface IssuerKeysOptions {
  issuer: string;
  /** Where the keys are; without it, the issuer's OpenID metadata says. */
  jwksUri?: string;
  /** How long one discovery or JWKS fetch may take (default 5 s). */
  timeoutMs?: number;
  /** After a failed fetch with no keys in hand, how long requests get 503 without a new fetch (default 10 s). */
  failureCacheMs?: number;
  /** How long fetched keys are trusted before a background refresh (default 1 hour). */
  keysMaxAgeMs?: number;
  /** Minimum time between two fetches triggered by unknown `kid`s (default 30 s). */
  refetchCooldownMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

const openIdMetadata = z.object({ jwks_uri: z.url() });
const jwksDocument = z.object({ keys: z.array(z.record(z.string(), z.unknown())).max(100) });

/** The issuer's keys cannot be had right now: an outage on their side, not a bad token (503). */
export const signingKeysUnavailable = (): AppError =>
  new AppError(
    'service_unavailable',
    "The token issuer's signing keys cannot be fetched right now. Try again shortly.",
  );

/**
 * The caller issuer's signing keys, as a jose key resolver. Fetches time out; a failure with no
 * keys in hand is remembered for a short while, so a dead issuer answers 503 at once and is not
 * asked once per request; keys in hand keep verifying while one background fetch refreshes them
 * (keys the issuer dropped stop verifying then); an unknown `kid` refetches at most once per
 * cooldown, which is how key rollover is followed.
 */
export function createIssuerKeys(options: IssuerKeysOptions): JWTVerifyGetKey {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const failureCacheMs = options.failureCacheMs ?? 10_000;
  const maxAgeMs = options.keysMaxAgeMs ?? 3_600_000;
  const cooldownMs = options.refetchCooldownMs ?? 30_000;
  const now = options.now ?? Date.now;

  let jwksUri = options.jwksUri;
  let keys: { resolve: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let inFlight: Promise<JWTVerifyGetKey> | undefined;
  let failedUntil = 0;
  let lastFetchAt = Number.NEGATIVE_INFINITY;

  async function fetchJson(url: string): Promise<unknown> {
    // One signal bounds the answer and the body together.
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`${new URL(url).pathname} answered ${response.status}`);
    return response.json();
  }

  // One fetch at a time, shared by every caller that needs it.
  function load(): Promise<JWTVerifyGetKey> {
    inFlight ??= (async () => {
      lastFetchAt = now();
      jwksUri ??= openIdMetadata.parse(
        await fetchJson(`${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`),
      ).jwks_uri;
      const resolve = createLocalJWKSet(jwksDocument.parse(await fetchJson(jwksUri)) as unknown as JSONWebKeySet);
      keys = { resolve, fetchedAt: now() };
      failedUntil = 0;
      return resolve;
    })()
      .catch((error: unknown) => {
        failedUntil = now() + failureCacheMs;
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  async function loadOrUnavailable(): Promise<JWTVerifyGetKey> {
    try {
      return await load();
    } catch {
      throw signingKeysUnavailable();
    }
  }

  return async (header, token) => {
    let resolve: JWTVerifyGetKey;
    if (!keys) {
      if (now() < failedUntil) throw signingKeysUnavailable();
      resolve = await loadOrUnavailable();
    } else {
      resolve = keys.resolve;
      if (now() - keys.fetchedAt >= maxAgeMs && now() >= failedUntil) void load().catch(() => undefined);
    }
    try {
      return await resolve(header, token);
    } catch (error) {
      // An unknown kid: the issuer may have rolled its keys. Ask again, at most once per cooldown.
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - lastFetchAt < cooldownMs || now() < failedUntil)
        throw error;
      return (await loadOrUnavailable())(header, token);
    }
  };
}
