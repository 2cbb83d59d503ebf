import { KeyUnavailableError } from './errors.js';
import type { KeyProvider, VersionedKey } from './key-provider.js';
import { createSecretKeySource, type SecretSourceOptions } from './keyvault-secret-source.js';

export type { TokenCredential } from './keyvault-secret-source.js';

export interface KeyVaultKeyOptions extends SecretSourceOptions {
  /** How long the latest version is trusted before it is read again (default 5 minutes). */
  refreshAfterMs?: number;
  /** After a failed refresh, how long the last good key is served before trying again (default 30 s). */
  retryAfterFailureMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * KeyProvider over a Key Vault secret holding the base64 of 32 bytes. The latest version is cached
 * and re-read every few minutes, so a rotation is picked up without a restart; versions are cached
 * for good (a version's value never changes), so older values stay readable after a rotation.
 */
export function createKeyVaultKeyProvider(options: KeyVaultKeyOptions): KeyProvider {
  const source = createSecretKeySource(options);
  const refreshAfterMs = options.refreshAfterMs ?? 5 * 60_000;
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 30_000;
  const now = options.now ?? Date.now;

  let latest: { key: VersionedKey; freshUntil: number } | undefined;
  let latestInFlight: Promise<VersionedKey> | undefined;
  const versions = new Map<string, Buffer>();
  const versionsInFlight = new Map<string, Promise<Buffer>>();

  // Concurrent callers share one read; the promise is dropped once settled so a failure is retried.
  function refreshLatest(): Promise<VersionedKey> {
    latestInFlight ??= source
      .latest()
      .then((key) => {
        latest = { key, freshUntil: now() + refreshAfterMs };
        versions.set(key.version, key.key);
        return key;
      })
      .finally(() => {
        latestInFlight = undefined;
      });
    return latestInFlight;
  }

  const copy = (key: VersionedKey): VersionedKey => ({ version: key.version, key: Buffer.from(key.key) });

  return {
    async current() {
      if (latest && now() < latest.freshUntil) return copy(latest.key);
      try {
        return copy(await refreshLatest());
      } catch (error) {
        // A vault hiccup must not stop token writes: keep sealing with the last good key for a while.
        // A malformed secret is a configuration error and is not papered over.
        if (!(error instanceof KeyUnavailableError) || !latest) throw error;
        latest.freshUntil = now() + retryAfterFailureMs;
        return copy(latest.key);
      }
    },

    async byVersion(version) {
      const known = versions.get(version);
      if (known) return Buffer.from(known);
      let pending = versionsInFlight.get(version);
      if (!pending) {
        pending = source
          .version(version)
          .then((key) => {
            versions.set(version, key);
            return key;
          })
          .finally(() => versionsInFlight.delete(version));
        versionsInFlight.set(version, pending);
      }
      return Buffer.from(await pending);
    },

    // Always asks the vault: a health check answered from the cache would hide an outage.
    async check() {
      await refreshLatest();
    },
  };
}
