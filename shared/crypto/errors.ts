import { AppError } from '../errors.js';

/**
 * A sealed value could not be opened: malformed, tampered with, bound to another purpose or subject,
 * or sealed under a key version the key store does not know. The message never carries key or
 * plaintext material; `reason` is for logs, callers should treat every reason alike.
 */
export class DecryptionError extends Error {
  constructor(readonly reason: 'malformed' | 'unknown_key_version' | 'authentication_failed') {
    super(`The sealed value cannot be opened (${reason}).`);
    this.name = 'DecryptionError';
  }
}

/**
 * The key store has no usable key of that version: it never existed, was purged, or was disabled
 * (a compromised version is disabled to stop it from opening anything).
 */
export class UnknownKeyVersionError extends Error {
  constructor(
    readonly version: string,
    readonly disabled = false,
  ) {
    super(
      disabled
        ? `The encryption key version "${version}" is disabled.`
        : `No encryption key with version "${version}".`,
    );
    this.name = 'UnknownKeyVersionError';
  }
}

/**
 * The key store holds something that is not a 32-byte key. Names the key (secret name, version or
 * setting), never its value.
 */
export class InvalidKeyMaterialError extends Error {
  constructor(readonly keyName: string) {
    super(`${keyName} is not the base64 of 32 bytes (an AES-256 key).`);
    this.name = 'InvalidKeyMaterialError';
  }
}

/**
 * The key store could not be reached or refused us. An AppError (503) so that the HTTP layer answers
 * "try again later" with a generic detail; the message (for logs) says which secret and why, never
 * a value.
 */
export class KeyUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('service_unavailable', 'The token encryption key is unavailable.');
    this.name = 'KeyUnavailableError';
    this.message = message;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * The latest version of the key secret is disabled in the vault: an operator took it out of use,
 * so it is not kept as a "last good key" either. Still a 503 to callers.
 */
export class KeyDisabledError extends KeyUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'KeyDisabledError';
  }
}
