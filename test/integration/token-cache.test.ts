import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelope } from '../../shared/crypto/envelope.js';
import { DecryptionError } from '../../shared/crypto/errors.js';
import { createKeyVaultKeyProvider } from '../../shared/crypto/keyvault-key-provider.js';
import { TokenCacheStore } from '../../shared/oauth/token-cache-store.js';
import { startKeyVaultStandIn, type KeyVaultStandIn } from '../../dev/keyvault/server.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { newKeyBase64, staticCredential, TEST_TOKEN } from '../crypto/support.js';

let azurite: Azurite;
let vault: KeyVaultStandIn;
let table: TableClient;

beforeAll(async () => {
  azurite = await startAzurite();
  vault = await startKeyVaultStandIn({ accessToken: TEST_TOKEN });
  table = TableClient.fromConnectionString(azurite.connectionString, 'TokenCaches', { allowInsecureConnection: true });
  await table.createTable();
});
afterAll(async () => {
  await vault?.close();
  await azurite?.stop();
});

const store = (refreshAfterMs: number) =>
  new TokenCacheStore(
    table,
    createEnvelope(
      createKeyVaultKeyProvider({
        vaultUrl: vault.vaultUrl,
        secretName: 'token-key',
        credential: staticCredential(),
        refreshAfterMs,
        clientOptions: { retryOptions: { maxRetries: 0 } },
      }),
    ),
  );

/** Drives the MSAL cache-plugin contract the way MSAL does, with a cache that did or did not change. */
async function accessThroughPlugin(s: TokenCacheStore, id: string, change?: string) {
  let cache = '';
  const context = {
    get cacheHasChanged() {
      return change !== undefined;
    },
    tokenCache: { deserialize: (c: string) => void (cache = c), serialize: () => change ?? cache },
  };
  const plugin = s.plugin(id);
  await plugin.beforeCacheAccess(context as never);
  await plugin.afterCacheAccess(context as never);
  return cache;
}

const version = async (id: string) =>
  String((await table.getEntity<{ cache: string }>(id, 'msal')).cache).split('.')[1];

describe('token caches at rest', () => {
  it('are stored sealed: no plaintext in the row; a flipped byte or a row moved to another integration does not open', async () => {
    vault.setSecret('token-key', newKeyBase64());
    const s = store(60_000);
    const id = randomUUID();
    const secret = JSON.stringify({ RefreshToken: { x: { secret: 'refresh-token-plaintext-marker' } } });
    await s.put(id, secret);
    const row = await table.getEntity<{ cache: string }>(id, 'msal');
    expect(JSON.stringify(row)).not.toContain('refresh-token-plaintext-marker');
    expect((await s.read(id))?.cache).toBe(secret);

    const sealed = String(row.cache);
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    await table.upsertEntity({ partitionKey: id, rowKey: 'msal', cache: flipped }, 'Replace');
    await expect(s.read(id)).rejects.toBeInstanceOf(DecryptionError);

    const other = randomUUID();
    await table.upsertEntity({ partitionKey: other, rowKey: 'msal', cache: sealed }, 'Replace');
    await expect(s.read(other)).rejects.toBeInstanceOf(DecryptionError);
  });

  it('after a key rotation, old rows still open and are re-sealed with the new version on their next use', async () => {
    const v1 = vault.setSecret('token-key', newKeyBase64());
    const id = randomUUID();
    await store(60_000).put(id, '{"cache":"one"}');
    expect(await version(id)).toBe(v1);

    const v2 = vault.setSecret('token-key', newKeyBase64());
    const fresh = store(0); // a worker that has picked up the new key version
    expect(await accessThroughPlugin(fresh, id)).toBe('{"cache":"one"}'); // the v1 row still opens...
    expect(await version(id)).toBe(v2); // ...and was re-sealed under v2 though MSAL changed nothing
    expect((await fresh.read(id))?.current).toBe(true);
  });

  it('two writers that both read the same version: the second write is refused, the first one kept', async () => {
    vault.setSecret('token-key', newKeyBase64());
    const s = store(60_000);
    const id = randomUUID();
    await s.put(id, '{"rt":"original"}');
    const { etag } = (await s.read(id))!;
    expect((await s.write(id, '{"rt":"newer-from-worker-a"}', etag)).written).toBe(true);
    expect((await s.write(id, '{"rt":"from-worker-b"}', etag)).written).toBe(false);
    expect((await s.read(id))?.cache).toBe('{"rt":"newer-from-worker-a"}');
  });
});
