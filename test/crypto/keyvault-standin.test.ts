import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeyVaultStandIn, type KeyVaultStandIn } from '../../dev/keyvault/server.js';
import { staticCredential, TEST_TOKEN } from './support.js';

const API = 'api-version=7.6';

describe('Key Vault stand-in', () => {
  let vault: KeyVaultStandIn;
  beforeAll(async () => {
    vault = await startKeyVaultStandIn({ accessToken: TEST_TOKEN, tenantId: 'tenant-123' });
  });
  afterAll(() => vault.close());

  const call = (path: string, init: RequestInit = {}, token = TEST_TOKEN) =>
    fetch(`${vault.vaultUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  it('challenges a request without a bearer token, as Key Vault does', async () => {
    const res = await fetch(`${vault.vaultUrl}/secrets/anything/?${API}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer authorization="https://login.microsoftonline.com/tenant-123", resource="https://vault.azure.net"',
    );
    expect((await call(`/secrets/anything/?${API}`, {}, 'wrong-token')).status).toBe(401);
    expect(vault.log.slice(-2).map((r) => r.authorized)).toEqual([false, false]);
  });

  it('sets versions with PUT and serves the latest and each version, Key Vault-shaped', async () => {
    const first = await call(`/secrets/db-key?${API}`, { method: 'PUT', body: JSON.stringify({ value: 'one' }) });
    expect(first.status).toBe(200);
    const v1 = (await first.json()) as { id: string; value: string; attributes: Record<string, unknown> };
    expect(v1.id).toMatch(new RegExp(`^${vault.vaultUrl}/secrets/db-key/[0-9a-f]{32}$`));
    expect(v1.attributes).toMatchObject({ enabled: true, recoveryLevel: 'Recoverable+Purgeable' });
    expect(typeof v1.attributes.created).toBe('number');
    const v2 = vault.setSecret('db-key', 'two');

    const latest = (await (await call(`/secrets/db-key/?${API}`)).json()) as { id: string; value: string };
    expect(latest).toMatchObject({ value: 'two', id: `${vault.vaultUrl}/secrets/db-key/${v2}` });
    const byVersion = (await (await call(`/secrets/DB-KEY/${v1.id.split('/').at(-1)}?${API}`)).json()) as {
      value: string;
    };
    expect(byVersion.value).toBe('one');
  });

  it('answers SecretNotFound for unknown names and versions, and 400 for bad input', async () => {
    for (const path of [`/secrets/nope/?${API}`, `/secrets/db-key/${'0'.repeat(32)}?${API}`]) {
      const res = await call(path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SecretNotFound');
    }
    expect((await call('/secrets/db-key/')).status).toBe(400); // no api-version
    expect((await call(`/secrets/x?${API}`, { method: 'PUT', body: '{not json' })).status).toBe(400);
    expect((await call(`/secrets/x?${API}`, { method: 'PUT', body: JSON.stringify({ value: 7 }) })).status).toBe(400);
    expect((await call(`/secrets/bad_name/?${API}`)).status).toBe(404);
  });

  it('refuses to serve a disabled secret, as Key Vault does', async () => {
    const put = await call(`/secrets/off?${API}`, {
      method: 'PUT',
      body: JSON.stringify({ value: 'v', attributes: { enabled: false } }),
    });
    expect(((await put.json()) as { attributes: { enabled: boolean } }).attributes.enabled).toBe(false);
    const res = await call(`/secrets/off/?${API}`);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('"value"');
  });

  it('serves the real SDK: setSecret, getSecret latest and by version, with challenge auth', async () => {
    const credential = staticCredential();
    const client = new SecretClient(vault.vaultUrl, credential, { disableChallengeResourceVerification: true });
    const set = await client.setSecret('sdk-secret', 'hello');
    expect(set.properties.version).toMatch(/^[0-9a-f]{32}$/);
    await client.setSecret('sdk-secret', 'world');
    expect((await client.getSecret('sdk-secret')).value).toBe('world');
    expect((await client.getSecret('sdk-secret', { version: set.properties.version! })).value).toBe('hello');
    expect(credential.asked[0]).toEqual({ scopes: ['https://vault.azure.net/.default'], tenantId: 'tenant-123' });
    await expect(client.getSecret('missing')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
  });
});

describe('Key Vault stand-in controls', () => {
  it('hangs: requests are held unanswered until resume() answers them', async () => {
    const vault = await startKeyVaultStandIn({ accessToken: TEST_TOKEN });
    try {
      vault.setSecret('k', 'v');
      vault.hang();
      let answered = false;
      const pending = fetch(`${vault.vaultUrl}/secrets/k/?${API}`, {
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
      }).then((r) => {
        answered = true;
        return r;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      expect(vault.hung).toBe(1);
      vault.resume();
      expect((await pending).status).toBe(200);
      expect(vault.hung).toBe(0);
    } finally {
      await vault.close();
    }
  });

  it('disables a version through the real SDK (PATCH) and answers 403 SecretDisabled, as Key Vault does', async () => {
    const vault = await startKeyVaultStandIn({ accessToken: TEST_TOKEN });
    try {
      const client = new SecretClient(vault.vaultUrl, staticCredential(), {
        disableChallengeResourceVerification: true,
      });
      const version = vault.setSecret('k', 'v');
      const updated = await client.updateSecretProperties('k', version, { enabled: false });
      expect(updated.enabled).toBe(false);
      await expect(client.getSecret('k', { version })).rejects.toMatchObject({
        statusCode: 403,
        details: { error: { innerError: { code: 'SecretDisabled' } } },
      });
      vault.setEnabled('k', version, true);
      expect((await client.getSecret('k', { version })).value).toBe('v');
    } finally {
      await vault.close();
    }
  });
});
