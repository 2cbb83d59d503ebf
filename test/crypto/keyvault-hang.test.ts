import { SecretClient } from '@azure/keyvault-secrets';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startKeyVaultStandIn, type KeyVaultStandIn } from '../../dev/keyvault/server.js';
import { createEnvelope } from '../../shared/crypto/envelope.js';
import { createKeyVaultKeyProvider, type KeyVaultKeyOptions } from '../../shared/crypto/keyvault-key-provider.js';
import { manualClock, newKeyBase64, staticCredential, TEST_TOKEN } from './support.js';

// Issue 19, finding 6: a slow or hung Key Vault must not stall sealing and opening, and a version
// disabled in the vault must stop working on warm instances. Real SDK against the stand-in.

const SECRET = 'token-encryption-key';
const ctx = { purpose: 'msal-cache', subject: 'integration-7' };
const REFRESH = 5 * 60_000;
const HOUR = 3_600_000;
const TIMEOUT = 1_000; // the vault-call timeout of these tests (production: 5 s)

const vaults: KeyVaultStandIn[] = [];
afterEach(async () => {
  await Promise.all(vaults.splice(0).map((v) => v.close().catch(() => undefined)));
});

async function setup() {
  const vault = await startKeyVaultStandIn({ accessToken: TEST_TOKEN });
  vaults.push(vault);
  const v1 = vault.setSecret(SECRET, newKeyBase64());
  const clock = manualClock();
  const provider = (more: Partial<KeyVaultKeyOptions> = {}) =>
    createKeyVaultKeyProvider({
      vaultUrl: vault.vaultUrl,
      secretName: SECRET,
      credential: staticCredential(),
      refreshAfterMs: REFRESH,
      timeoutMs: TIMEOUT,
      now: clock.now,
      clientOptions: { retryOptions: { maxRetries: 0 } },
      ...more,
    });
  return { vault, v1, clock, provider };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

describe('a Key Vault that hangs', () => {
  it('sealing and opening keep answering from the cached keys, with one refresh in flight per key', async () => {
    const { vault, v1, clock, provider } = await setup();
    const envelope = createEnvelope(provider());
    const sealedBefore = await envelope.seal('sealed while the vault answered', ctx);
    expect(sealedBefore.split('.')[1]).toBe(v1);

    vault.hang();
    clock.advance(2 * HOUR); // past the latest key's refresh and the cached version's expiry
    const N = 200;
    const latencies: number[] = [];
    for (let i = 0; i < N; i++) {
      // Requests arrive through the event loop: let the vault I/O (the background reads) run between them.
      await new Promise((resolve) => setImmediate(resolve));
      const started = performance.now();
      const sealed = await envelope.seal(`value ${i}`, ctx);
      expect((await envelope.open(sealed, ctx)).toString()).toBe(`value ${i}`);
      expect((await envelope.open(sealedBefore, ctx)).toString()).toBe('sealed while the vault answered');
      latencies.push(performance.now() - started);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const figure = {
      calls: N,
      p50_ms: +percentile(sorted, 0.5).toFixed(3),
      p99_ms: +percentile(sorted, 0.99).toFixed(3),
      max_ms: +sorted.at(-1)!.toFixed(3),
    };
    console.log(`[hung vault] seal + 2 opens per call while the vault hangs: ${JSON.stringify(figure)}`);
    expect(figure.max_ms).toBeLessThan(TIMEOUT); // generous: nothing waited for the vault
    // The vault saw one refresh of the latest key (and one revalidation of the version), not one per call.
    expect(vault.hung).toBeGreaterThanOrEqual(1);
    expect(vault.hung).toBeLessThanOrEqual(2);

    // The hung reads time out in the background; requests are still served meanwhile.
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT + 200));
    await expect(envelope.open(sealedBefore, ctx)).resolves.toBeInstanceOf(Buffer);
    // A rotation made while it hung is picked up once the vault answers again (after the retry pause).
    const v2 = vault.setSecret(SECRET, newKeyBase64());
    vault.resume();
    clock.advance(31_000);
    await vi.waitFor(async () => expect((await envelope.seal('x', ctx)).split('.')[1]).toBe(v2), { timeout: 5_000 });
  });

  it('a cold start (nothing cached) fails within the timeout with a 503 KeyUnavailableError, as does the health check', async () => {
    const { vault, provider } = await setup();
    vault.hang();
    const keys = provider();
    for (const call of [() => keys.current(), () => keys.check(), () => keys.byVersion('0'.repeat(32))]) {
      const started = performance.now();
      await expect(call()).rejects.toMatchObject({
        name: 'KeyUnavailableError',
        status: 503,
        message: expect.stringContaining(`did not answer within ${TIMEOUT} ms`),
      });
      const took = performance.now() - started;
      console.log(`[hung vault] cold call refused after ${took.toFixed(0)} ms`);
      expect(took).toBeLessThan(TIMEOUT + 1_500);
    }
  });
});

describe('a version disabled in the vault', () => {
  it('stops opening on a warm instance once its cached copy expires (about an hour)', async () => {
    const { vault, v1, clock, provider } = await setup();
    const envelope = createEnvelope(provider());
    const sealedV1 = await envelope.seal('under v1', ctx);
    vault.setSecret(SECRET, newKeyBase64());
    // Disabled the way an operator would, through the real SDK.
    const client = new SecretClient(vault.vaultUrl, staticCredential(), { disableChallengeResourceVerification: true });
    await client.updateSecretProperties(SECRET, v1, { enabled: false });
    expect((await envelope.open(sealedV1, ctx)).toString()).toBe('under v1'); // cached, within the hour

    clock.advance(HOUR + 1);
    await vi.waitFor(
      () =>
        expect(envelope.open(sealedV1, ctx)).rejects.toMatchObject({
          name: 'DecryptionError',
          reason: 'unknown_key_version',
        }),
      { timeout: 5_000 },
    );
    // The current key is unaffected.
    const fresh = await envelope.seal('under v2', ctx);
    expect((await envelope.open(fresh, ctx)).toString()).toBe('under v2');
  });

  it('a disabled current version stops sealing after the next refresh instead of being kept as the last good key', async () => {
    const { vault, v1, clock, provider } = await setup();
    const keys = provider();
    expect((await keys.current()).version).toBe(v1);
    vault.setEnabled(SECRET, v1, false);
    clock.advance(REFRESH + 1);
    // KeyDisabledError is a KeyUnavailableError: a 503, never a "last good key".
    await vi.waitFor(
      () =>
        expect(keys.current()).rejects.toMatchObject({
          name: 'KeyDisabledError',
          status: 503,
          message: expect.stringContaining('is disabled'),
        }),
      { timeout: 5_000 },
    );
    await expect(keys.byVersion(v1)).rejects.toMatchObject({ name: 'UnknownKeyVersionError' });
  });
});
