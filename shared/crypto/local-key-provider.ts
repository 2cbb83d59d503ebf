import { createHash } from 'node:crypto';
import { UnknownKeyVersionError } from './errors.js';
import { decodeKey, type KeyProvider, type VersionedKey } from './key-provider.js';

export interface LocalKeyOptions {
  /** Base64 of 32 random bytes (setting TOKEN_ENCRYPTION_KEY). */
  key: string;
  /** Earlier keys, still accepted for opening, so a developer can rotate without losing tokens. */
  previousKeys?: string[];
  /** How the key is named in errors (never its value). */
  keyName?: string;
}

/**
 * A key's version is a fingerprint of the key itself: a sealed value names the key that sealed it
 * without a registry of versions, and the fingerprint reveals nothing usable about the key.
 */
export function localKeyVersion(key: Buffer): string {
  return createHash('sha256').update('kid').update(key).digest('hex').slice(0, 12);
}

/** Development-only KeyProvider over keys held in settings. */
export function createLocalKeyProvider(options: LocalKeyOptions): KeyProvider {
  const keyName = options.keyName ?? 'TOKEN_ENCRYPTION_KEY';
  const key = decodeKey(options.key, keyName);
  const current: VersionedKey = { version: localKeyVersion(key), key };
  const all = new Map<string, Buffer>([[current.version, key]]);
  options.previousKeys?.forEach((previous, i) => {
    const old = decodeKey(previous, `${keyName} (previous key #${i + 1})`);
    const version = localKeyVersion(old);
    if (!all.has(version)) all.set(version, old);
  });

  return {
    current: async () => ({ version: current.version, key: Buffer.from(current.key) }),
    async byVersion(version) {
      const found = all.get(version);
      if (!found) throw new UnknownKeyVersionError(version);
      return Buffer.from(found);
    },
    check: async () => undefined,
  };
}
