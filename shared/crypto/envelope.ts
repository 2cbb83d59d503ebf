import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError, UnknownKeyVersionError } from './errors.js';
import { keyVersionPattern, type KeyProvider } from './key-provider.js';

/** What a sealed value is for: both parts are bound into the ciphertext as associated data. */
export interface SealContext {
  /** The kind of secret, e.g. 'msal-cache' or 'pkce-verifier'. */
  purpose: string;
  /** Whose it is, e.g. the integration id: a row copied to another subject will not open. */
  subject: string;
}

/** AES-256-GCM sealing of small secrets (token caches, PKCE verifiers) for storage at rest. */
export interface Envelope {
  /** Encrypts under the current key: `v1.<keyVersion>.<nonce>.<ciphertext>.<tag>`, base64url parts. */
  seal(plaintext: string | Buffer, context: SealContext): Promise<string>;
  /**
   * Decrypts and authenticates. Throws DecryptionError whatever is wrong with the value (format,
   * tampering, other context, unknown key version); KeyUnavailableError when the key store is down.
   */
  open(sealed: string, context: SealContext): Promise<Buffer>;
  /** False when the value was sealed under an older key version: re-seal it on the next write. */
  isCurrent(sealed: string): Promise<boolean>;
}

const FORMAT = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const base64url = /^[A-Za-z0-9_-]*$/;

// Only the canonical spelling decodes: otherwise several strings would name the same bytes.
function decodePart(part: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (!base64url.test(part) || bytes.toString('base64url') !== part) throw new DecryptionError('malformed');
  return bytes;
}

interface Parsed {
  keyVersion: string;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parse(sealed: string): Parsed {
  const parts = sealed.split('.');
  if (parts.length !== 5) throw new DecryptionError('malformed');
  const [format, keyVersion, nonce, ciphertext, tag] = parts as [string, string, string, string, string];
  if (format !== FORMAT || !keyVersionPattern.test(keyVersion)) throw new DecryptionError('malformed');
  const parsed = { keyVersion, nonce: decodePart(nonce), ciphertext: decodePart(ciphertext), tag: decodePart(tag) };
  if (parsed.nonce.length !== NONCE_BYTES || parsed.tag.length !== TAG_BYTES) throw new DecryptionError('malformed');
  return parsed;
}

// A JSON array is an unambiguous encoding: no choice of purpose/subject can collide with another.
function associatedData(keyVersion: string, context: SealContext): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, keyVersion, context.purpose, context.subject]), 'utf8');
}

function assertContext(context: SealContext): void {
  if (!context.purpose || !context.subject) throw new TypeError('seal/open need a non-empty purpose and subject');
}

/** Builds the envelope over a key provider (see KeyProvider). */
export function createEnvelope(keys: KeyProvider): Envelope {
  return {
    async seal(plaintext, context) {
      assertContext(context);
      const { version, key } = await keys.current();
      if (!keyVersionPattern.test(version)) throw new TypeError('the key provider returned an unsafe key version');
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(version, context));
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
      return [FORMAT, version, nonce, ciphertext, cipher.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },

    async open(sealed, context) {
      assertContext(context);
      const parsed = parse(sealed);
      let key: Buffer;
      try {
        key = await keys.byVersion(parsed.keyVersion);
      } catch (error) {
        // An unknown version is a property of the value; an unreachable store is not, so it propagates.
        if (error instanceof UnknownKeyVersionError) throw new DecryptionError('unknown_key_version');
        throw error;
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, parsed.nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(associatedData(parsed.keyVersion, context));
        decipher.setAuthTag(parsed.tag);
        return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]);
      } catch {
        throw new DecryptionError('authentication_failed');
      }
    },

    async isCurrent(sealed) {
      const { keyVersion } = parse(sealed);
      return keyVersion === (await keys.current()).version;
    },
  };
}
