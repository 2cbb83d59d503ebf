import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../shared/crypto/envelope.js';
import { DecryptionError, InvalidKeyMaterialError, UnknownKeyVersionError } from '../../shared/crypto/errors.js';
import { keyProviderFromSettings } from '../../shared/crypto/key-provider-from-settings.js';
import { createLocalKeyProvider } from '../../shared/crypto/local-key-provider.js';
import { newKeyBase64 } from './support.js';

const ctx = { purpose: 'pkce-verifier', subject: 'state-hash' };

describe('local key provider', () => {
  it('names the key by a 12-hex fingerprint of the key, never the key itself', async () => {
    const raw = randomBytes(32);
    const provider = createLocalKeyProvider({ key: raw.toString('base64') });
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('kid'), raw]))
      .digest('hex')
      .slice(0, 12);
    const current = await provider.current();
    expect(current.version).toBe(expected);
    expect(current.key.equals(raw)).toBe(true);
    expect((await provider.byVersion(expected)).equals(raw)).toBe(true);
    await expect(provider.check()).resolves.toBeUndefined();
  });

  it('accepts base64url spelling of the same key', async () => {
    const raw = randomBytes(32);
    const a = await createLocalKeyProvider({ key: raw.toString('base64') }).current();
    const b = await createLocalKeyProvider({ key: raw.toString('base64url') }).current();
    expect(b.version).toBe(a.version);
  });

  it('rotates locally: previous keys still open, new seals use the new key', async () => {
    const oldKey = newKeyBase64();
    const before = createEnvelope(createLocalKeyProvider({ key: oldKey }));
    const sealedOld = await before.seal('old token', ctx);

    const afterProvider = createLocalKeyProvider({ key: newKeyBase64(), previousKeys: [oldKey] });
    const after = createEnvelope(afterProvider);
    expect((await after.open(sealedOld, ctx)).toString()).toBe('old token');
    expect(await after.isCurrent(sealedOld)).toBe(false);
    const sealedNew = await after.seal('new token', ctx);
    expect(sealedNew.split('.')[1]).toBe((await afterProvider.current()).version);
    expect(await after.isCurrent(sealedNew)).toBe(true);

    // Dropping the old key makes its values unreadable, with the one error type.
    const without = createEnvelope(createLocalKeyProvider({ key: newKeyBase64() }));
    await expect(without.open(sealedOld, ctx)).rejects.toBeInstanceOf(DecryptionError);
  });

  it('hands out copies, so a caller cannot corrupt the key', async () => {
    const provider = createLocalKeyProvider({ key: newKeyBase64() });
    const first = await provider.current();
    first.key.fill(0);
    expect((await provider.current()).key.equals(Buffer.alloc(32))).toBe(false);
  });

  it('rejects a key that is not 32 bytes of base64, naming the setting but not the value', () => {
    const bad = [
      '',
      'short',
      randomBytes(16).toString('base64'),
      randomBytes(48).toString('base64'),
      `${newKeyBase64().slice(0, 40)}!!!=`,
    ];
    for (const key of bad) {
      const error = (() => {
        try {
          createLocalKeyProvider({ key });
        } catch (e) {
          return e;
        }
      })();
      expect(error, key).toBeInstanceOf(InvalidKeyMaterialError);
      expect((error as Error).message).toContain('TOKEN_ENCRYPTION_KEY');
      if (key) expect((error as Error).message).not.toContain(key);
    }
    expect(() => createLocalKeyProvider({ key: newKeyBase64(), previousKeys: ['nope'] })).toThrow(/previous key #1/);
  });

  it('throws UnknownKeyVersionError for a version it does not hold', async () => {
    await expect(createLocalKeyProvider({ key: newKeyBase64() }).byVersion('abcdef012345')).rejects.toBeInstanceOf(
      UnknownKeyVersionError,
    );
  });

  it('is what the settings select without KEY_VAULT_URL', async () => {
    const key = newKeyBase64();
    const provider = await keyProviderFromSettings({
      KEY_VAULT_URL: undefined,
      TOKEN_KEY_SECRET_NAME: 'k',
      TOKEN_ENCRYPTION_KEY: key,
    });
    expect((await provider.current()).key.toString('base64')).toBe(key);
    await expect(
      keyProviderFromSettings({
        KEY_VAULT_URL: undefined,
        TOKEN_KEY_SECRET_NAME: 'k',
        TOKEN_ENCRYPTION_KEY: undefined,
      }),
    ).rejects.toThrow(/KEY_VAULT_URL/);
  });
});
