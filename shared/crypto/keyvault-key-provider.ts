import { InvalidKeyMaterialError, KeyDisabledError, UnknownKeyVersionError } from './errors.js';
import type { KeyProvider, VersionedKey } from './key-provider.js';
import { createSecretKeySource, type SecretSourceOptions } from './keyvault-secret-source.js';

export type { TokenCredential } from './keyvault-secret-source.js';

export interface KeyVaultKeyOptions extends SecretSourceOptions {
  /** How long the latest version is trusted before it is read again (default 5 minutes). */
  refreshAfterMs?: number;
  /** After a failed read, how long the cached key is served before the vault is asked again (default 30 s). */
  retryAfterFailureMs?: number;
  /** How long a version read for opening is trusted before it is checked again (default 1 hour). */
  versionTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Cached<T> {
  value: T;
  /** Until then served as is; after it served while one background read revalidates it. */
  freshUntil: number;
}

/**
 * KeyProvider over a Key Vault secret holding the base64 of 32 bytes.
 *
 * Stale-while-revalidate, so a slow or hung vault never stalls a request once a key is in hand:
 * the latest version is re-read every few minutes (a rotation is picked up without a restart) and
 * each version read for opening is re-checked hourly (a version disabled in the vault stops opening
 * on warm instances), each by one background read at a time, while the cached key keeps serving.
 * Vault reads time out (SecretSourceOptions.timeoutMs); a failed or timed-out read is retried after
 * a pause. Only a definitive answer drops a key: disabled, purged, or not a key.
 */
export function createKeyVaultKeyProvider(options: KeyVaultKeyOptions): KeyProvider {
  const source = createSecretKeySource(options);
  const refreshAfterMs = options.refreshAfterMs ?? 5 * 60_000;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 30_000;
  const versionTtlMs = options.versionTtlMs ?? 60 * 60_000;
  const now = options.now ?? Date.now;

  let latest: Cached<VersionedKey> | undefined;
  let latestInFlight: Promise<VersionedKey> | undefined;
  const versions = new Map<string, Cached<Buffer>>();
  const versionsInFlight = new Map<string, Promise<Buffer>>();

  function forgetVersion(version: string): void {
    versions.delete(version);
    // The key new values are sealed with must not be one the vault has just refused.
    if (latest?.value.version === version) latest = undefined;
  }

  // Concurrent callers share one read; the promise is dropped once settled so a failure is retried.
  function refreshLatest(): Promise<VersionedKey> {
    latestInFlight ??= source
      .latest()
      .then(
        (key) => {
          latest = { value: key, freshUntil: now() + refreshAfterMs };
          versions.set(key.version, { value: key.key, freshUntil: now() + versionTtlMs });
          return key;
        },
        (error: unknown) => {
          // A disabled or malformed latest secret is the operator's verdict, not a hiccup: it is not
          // papered over with the last good key. An outage or a timeout is: keep sealing with it.
          if (error instanceof KeyDisabledError || error instanceof InvalidKeyMaterialError) {
            if (latest) forgetVersion(latest.value.version);
          } else if (latest) {
            latest.freshUntil = now() + retryAfterFailureMs;
          }
          throw error;
        },
      )
      .finally(() => {
        latestInFlight = undefined;
      });
    return latestInFlight;
  }

  function readVersion(version: string): Promise<Buffer> {
    let pending = versionsInFlight.get(version);
    if (!pending) {
      pending = source
        .version(version)
        .then(
          (key) => {
            versions.set(version, { value: key, freshUntil: now() + versionTtlMs });
            return key;
          },
          (error: unknown) => {
            const cached = versions.get(version);
            if (error instanceof UnknownKeyVersionError || error instanceof InvalidKeyMaterialError)
              forgetVersion(version);
            else if (cached) cached.freshUntil = now() + retryAfterFailureMs;
            throw error;
          },
        )
        .finally(() => versionsInFlight.delete(version));
      versionsInFlight.set(version, pending);
    }
    return pending;
  }

  // Background reads report through the next foreground read or the health check, never here.
  const inBackground = (read: Promise<unknown>): void => void read.catch(() => undefined);
  const copy = (key: VersionedKey): VersionedKey => ({ version: key.version, key: Buffer.from(key.key) });

  return {
    async current() {
      if (latest) {
        if (now() >= latest.freshUntil) inBackground(refreshLatest());
        return copy(latest.value);
      }
      return copy(await refreshLatest());
    },

    async byVersion(version) {
      const cached = versions.get(version);
      if (cached) {
        if (now() >= cached.freshUntil) inBackground(readVersion(version));
        return Buffer.from(cached.value);
      }
      return Buffer.from(await readVersion(version));
    },

    // Always asks the vault: a health check answered from the cache would hide an outage.
    async check() {
      await refreshLatest();
    },
  };
}
