import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../shared/crypto/envelope.js';
import { DecryptionError, UnknownKeyVersionError } from '../../shared/crypto/errors.js';
import type { KeyProvider } from '../../shared/crypto/key-provider.js';
import { createLocalKeyProvider } from '../../shared/crypto/local-key-provider.js';
import { newKeyBase64 } from './support.js';

const ctx = { purpose: 'msal-cache', subject: 'integration-1' };

// A provider whose two versions hold the SAME key: only the associated data can tell them apart.
function sameKeyTwoVersions(): KeyProvider & { use: (v: string) => void } {
  const key = randomBytes(32);
  let current = 'v-one';
  return {
    use: (v) => void (current = v),
    current: async () => ({ version: current, key }),
    byVersion: async (v) => {
      if (v !== 'v-one' && v !== 'v-two') throw new UnknownKeyVersionError(v);
      return key;
    },
    check: async () => undefined,
  };
}

// Flips one bit of one decoded part and re-encodes it canonically, so the change reaches the bytes.
function flip(sealed: string, partIndex: number, byteIndex = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[partIndex]!, 'base64url');
  bytes[byteIndex % bytes.length]! ^= 0x01;
  parts[partIndex] = bytes.toString('base64url');
  return parts.join('.');
}

async function expectDecryptionError(promise: Promise<unknown>, reason?: DecryptionError['reason']): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DecryptionError);
  if (reason) expect((error as DecryptionError).reason).toBe(reason);
}

describe('envelope', () => {
  const keys = createLocalKeyProvider({ key: newKeyBase64() });
  const envelope = createEnvelope(keys);

  it('round-trips any bytes and any string, in the documented compact format', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.string(), async (bytes, text) => {
        expect(await envelope.open(await envelope.seal(Buffer.from(bytes), ctx), ctx)).toEqual(Buffer.from(bytes));
        expect((await envelope.open(await envelope.seal(text, ctx), ctx)).toString('utf8')).toBe(text);
      }),
      { numRuns: 50 },
    );
    const sealed = await envelope.seal('{"AccessToken":{}}', ctx);
    const { version } = await keys.current();
    expect(sealed).toMatch(new RegExp(`^v1\\.${version}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`));
    expect(sealed).not.toContain('AccessToken');
  });

  it('uses a fresh nonce for every seal', async () => {
    const sealed = await Promise.all(Array.from({ length: 50 }, () => envelope.seal('same', ctx)));
    expect(new Set(sealed.map((s) => s.split('.')[2])).size).toBe(50);
  });

  it('rejects a flipped bit anywhere in nonce, ciphertext or tag', async () => {
    const sealed = await envelope.seal('a token cache worth protecting', ctx);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(2, 3, 4), fc.nat(), async (part, byte) => {
        await expectDecryptionError(envelope.open(flip(sealed, part, byte), ctx), 'authentication_failed');
      }),
      { numRuns: 60 },
    );
  });

  it('binds purpose and subject: a row moved to another integration or use does not open', async () => {
    const sealed = await envelope.seal('secret', ctx);
    await expectDecryptionError(envelope.open(sealed, { ...ctx, subject: 'integration-2' }), 'authentication_failed');
    await expectDecryptionError(envelope.open(sealed, { ...ctx, purpose: 'pkce-verifier' }), 'authentication_failed');
    // The encoding of the pair is unambiguous: shifting characters between the two parts fails too.
    const tricky = await envelope.seal('secret', { purpose: 'a', subject: 'bc' });
    await expectDecryptionError(envelope.open(tricky, { purpose: 'ab', subject: 'c' }), 'authentication_failed');
  });

  it('binds the key version even when two versions hold the same key', async () => {
    const provider = sameKeyTwoVersions();
    const env = createEnvelope(provider);
    const sealed = await env.seal('secret', ctx);
    expect(sealed.split('.')[1]).toBe('v-one');
    await expectDecryptionError(env.open(sealed.replace('.v-one.', '.v-two.'), ctx), 'authentication_failed');
    await expectDecryptionError(env.open(sealed.replace('.v-one.', '.v-three.'), ctx), 'unknown_key_version');
    expect((await env.open(sealed, ctx)).toString()).toBe('secret');
  });

  it('rejects malformed values with the same error type and no secret material', async () => {
    const sealed = await envelope.seal('the-plaintext', ctx);
    const parts = sealed.split('.');
    const malformed = [
      '',
      'garbage',
      sealed.replace(/^v1\./, 'v2.'),
      `${sealed}.extra`,
      parts.slice(0, 4).join('.'),
      sealed.replace(/\.[^.]+$/, `.${Buffer.alloc(12).toString('base64url')}`), // short tag
      [parts[0], parts[1], Buffer.alloc(8).toString('base64url'), parts[3], parts[4]].join('.'), // short nonce
      [parts[0], 'bad version!', ...parts.slice(2)].join('.'),
      [...parts.slice(0, 3), `${parts[3]}=`, parts[4]].join('.'), // non-canonical base64url
    ];
    for (const bad of malformed) {
      const error = await envelope.open(bad, ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, bad).toBeInstanceOf(DecryptionError);
      expect((error as Error).message).not.toContain('the-plaintext');
      expect((error as Error).message).not.toContain(parts[3]);
    }
  });

  it('a value sealed under another key does not open', async () => {
    const other = createEnvelope(createLocalKeyProvider({ key: newKeyBase64() }));
    await expectDecryptionError(envelope.open(await other.seal('x', ctx), ctx), 'unknown_key_version');
  });

  it('isCurrent tells a value sealed under an older key version', async () => {
    const provider = sameKeyTwoVersions();
    const env = createEnvelope(provider);
    const old = await env.seal('secret', ctx);
    expect(await env.isCurrent(old)).toBe(true);
    provider.use('v-two');
    expect(await env.isCurrent(old)).toBe(false);
    expect(await env.isCurrent(await env.seal('secret', ctx))).toBe(true);
    await expect(env.isCurrent('nonsense')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('refuses an empty purpose or subject', async () => {
    await expect(envelope.seal('x', { purpose: '', subject: 's' })).rejects.toThrow(/purpose and subject/);
    await expect(envelope.seal('x', { purpose: 'p', subject: '' })).rejects.toThrow(/purpose and subject/);
  });
});
