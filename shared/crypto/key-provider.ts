import { InvalidKeyMaterialError } from './errors.js';

/** A 256-bit data-encryption key and the version that names it in sealed values. */
export interface VersionedKey {
  version: string;
  key: Buffer;
}

/**
 * Where the token-encryption key comes from (Key Vault in production, a setting in development).
 * Versions let the key rotate: values sealed under an older version stay readable.
 */
export interface KeyProvider {
  /** The key new values are sealed with. */
  current(): Promise<VersionedKey>;
  /**
   * The key of an earlier (or the current) version. Throws UnknownKeyVersionError when the store
   * has no such version, KeyUnavailableError when the store cannot be reached.
   */
  byVersion(version: string): Promise<Buffer>;
  /** Health check: resolves when the current key can be had now, throws otherwise. */
  check(): Promise<void>;
}

/**
 * Key versions travel inside sealed strings (`v1.<version>.…`), so they must not contain the
 * separator; Key Vault versions are 32 hex characters, local fingerprints 12.
 */
export const keyVersionPattern = /^[A-Za-z0-9_-]{1,64}$/;

// 32 bytes are 43 base64 characters plus one '=' of padding; base64url spelling is accepted too.
// Buffer.from(…, 'base64') alone would silently skip stray characters and accept garbage.
const base64Of32Bytes = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Decodes the base64 of a 32-byte key. `keyName` names the key in the error (a secret name or a
 * setting), because the value itself must never appear in a message.
 */
export function decodeKey(base64: string, keyName: string): Buffer {
  const text = base64.trim();
  if (!base64Of32Bytes.test(text)) throw new InvalidKeyMaterialError(keyName);
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new InvalidKeyMaterialError(keyName);
  return key;
}
