import { afterEach, describe, expect, it, vi } from 'vitest';
import { startKeyVaultStandIn, type KeyVaultStandIn } from '../../dev/keyvault/server.js';
import { createEnvelope } from '../../shared/crypto/envelope.js';
import { DecryptionError } from '../../shared/crypto/errors.js';
import { createKeyVaultKeyProvider, type KeyVaultKeyOptions } from '../../shared/crypto/keyvault-key-provider.js';
import { manualClock, newKeyBase64, staticCredential, TEST_TOKEN } from './support.js';

const SECRET = 'token-encryption-key';
const ctx = { purpose: 'msal-cache', subject: 'integration-7' };
const REFRESH = 5 * 60_000;

const vaults: KeyVaultStandIn[] = [];
afterEach(async () => {
  await Promise.all(vaults.splice(0).map((v) => v.close().catch(() => undefined)));
});

async function setup(extra: Partial<KeyVaultKeyOptions> = {}) {
  const vault = await startKeyVaultStandIn({ accessToken: TEST_TOKEN, tenantId: 'tenant-abc' });
  vaults.push(vault);
  const v1Key = newKeyBase64();
  const v1 = vault.setSecret(SECRET, v1Key);
  const clock = manualClock();
  const credential = staticCredential();
  const provider = (more: Partial<KeyVaultKeyOptions> = {}) =>
    createKeyVaultKeyProvider({
      vaultUrl: vault.vaultUrl,
      secretName: SECRET,
      credential,
      refreshAfterMs: REFRESH,
      now: clock.now,
      // No SDK retries, so "vault down" fails at once instead of after its back-off.
      clientOptions: { retryOptions: { maxRetries: 0 } },
      ...extra,
      ...more,
    });
  return { vault, v1, v1Key, clock, credential, provider };
}

const secretGets = (vault: KeyVaultStandIn) =>
  vault.log.filter((r) => r.authorized && r.path.startsWith(`/secrets/${SECRET}`));

describe('Key Vault key provider (real SDK against the stand-in)', () => {
  it('authenticates through the challenge and reads the latest version', async () => {
    const { vault, v1, v1Key, credential, provider } = await setup();
    const current = await provider().current();
    expect(current).toEqual({ version: v1, key: Buffer.from(v1Key, 'base64') });
    expect(vault.log.map((r) => r.authorized)).toEqual([false, true]);
    expect(credential.asked).toEqual([{ scopes: ['https://vault.azure.net/.default'], tenantId: 'tenant-abc' }]);
  });

  it('caches the latest key for the refresh period and shares one in-flight read', async () => {
    const { vault, v1, clock, provider } = await setup();
    const keys = provider();
    await Promise.all(Array.from({ length: 5 }, () => keys.current()));
    await keys.current();
    await keys.byVersion(v1); // the current version is known without a read
    expect(secretGets(vault)).toHaveLength(1);

    clock.advance(REFRESH - 1);
    await keys.current();
    expect(secretGets(vault)).toHaveLength(1);
    clock.advance(2);
    // Past the refresh the cached key is still served; one background read refreshes it for all.
    await Promise.all(Array.from({ length: 5 }, () => keys.current()));
    await vi.waitFor(() => expect(secretGets(vault)).toHaveLength(2));
    await Promise.all(Array.from({ length: 5 }, () => keys.current()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(secretGets(vault)).toHaveLength(2);
  });

  it('picks up a rotation after the refresh; old values still open and are flagged for re-sealing', async () => {
    const { vault, v1, clock, provider } = await setup();
    const keys = provider();
    const envelope = createEnvelope(keys);
    const sealedV1 = await envelope.seal('cache under v1', ctx);
    expect(sealedV1.split('.')[1]).toBe(v1);

    const v2 = vault.setSecret(SECRET, newKeyBase64());
    expect((await keys.current()).version).toBe(v1); // still cached
    clock.advance(REFRESH + 1);
    // Stale-while-revalidate: the first call after the refresh period still gets v1 and starts the read.
    expect((await keys.current()).version).toBe(v1);
    await vi.waitFor(async () => expect((await keys.current()).version).toBe(v2));
    expect((await envelope.open(sealedV1, ctx)).toString()).toBe('cache under v1');
    expect(await envelope.isCurrent(sealedV1)).toBe(false);
    const sealedV2 = await envelope.seal('cache under v2', ctx);
    expect(sealedV2.split('.')[1]).toBe(v2);
    expect(await envelope.isCurrent(sealedV2)).toBe(true);

    // A fresh worker (empty cache) reads the old version from the vault, once.
    const fresh = createEnvelope(provider());
    const before = vault.requests;
    expect((await fresh.open(sealedV1, ctx)).toString()).toBe('cache under v1');
    expect((await fresh.open(sealedV1, ctx)).toString()).toBe('cache under v1');
    expect(
      vault.log
        .slice(before)
        .filter((r) => r.authorized)
        .map((r) => r.path),
    ).toEqual([`/secrets/${SECRET}/${v1}`]);
    expect(await fresh.isCurrent(sealedV1)).toBe(false);
  });

  it('reports a version the vault does not have as a DecryptionError', async () => {
    const { provider } = await setup();
    const envelope = createEnvelope(provider());
    const sealed = await envelope.seal('x', ctx);
    const forged = sealed.replace(/^v1\.[^.]+\./, `v1.${'f'.repeat(32)}.`);
    await expect(envelope.open(forged, ctx)).rejects.toMatchObject({
      name: 'DecryptionError',
      reason: 'unknown_key_version',
    });
  });

  it('rejects a secret that is not 32 bytes of base64, naming the secret but not the value', async () => {
    const { vault, provider } = await setup();
    const keys = provider();
    for (const value of ['this-is-not-a-key-but-is-secret', Buffer.alloc(16, 7).toString('base64')]) {
      vault.setSecret(SECRET, value);
      const error = await keys.check().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: 'InvalidKeyMaterialError' });
      expect((error as Error).message).toContain(`"${SECRET}"`);
      expect((error as Error).message).not.toContain(value);
      await expect(keys.current()).rejects.toMatchObject({ name: 'InvalidKeyMaterialError' });
    }
  });

  it('fails the health check when the vault is down or the secret is missing', async () => {
    const { vault, clock, provider } = await setup();
    await expect(provider({ secretName: 'no-such-secret' }).check()).rejects.toMatchObject({
      name: 'KeyUnavailableError',
      status: 503,
      message: expect.stringContaining('status 404'),
    });
    const keys = provider();
    await expect(keys.check()).resolves.toBeUndefined();
    await vault.close();
    await expect(keys.check()).rejects.toMatchObject({
      name: 'KeyUnavailableError',
      message: expect.stringMatching(/\((ECONNREFUSED|ECONNRESET)\)/),
    });
    // Sealing keeps working on the last good key through an outage; the health check still reports it.
    clock.advance(REFRESH + 1);
    await expect(keys.current()).resolves.toMatchObject({ key: expect.any(Buffer) });
    await expect(keys.check()).rejects.toMatchObject({ name: 'KeyUnavailableError' });
    // Without a last good key there is nothing to fall back on.
    await expect(provider().current()).rejects.toMatchObject({
      name: 'KeyUnavailableError',
      message: expect.stringContaining('(ECONNREFUSED)'),
    });
  });

  it('does not report an outage as tampering when opening', async () => {
    const { vault, provider } = await setup();
    const sealed = await createEnvelope(provider()).seal('x', ctx);
    await vault.close();
    const error = await createEnvelope(provider())
      .open(sealed, ctx)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).not.toBeInstanceOf(DecryptionError);
    expect(error).toMatchObject({ name: 'KeyUnavailableError' });
  });
});
