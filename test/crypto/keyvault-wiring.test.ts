import { describe, expect, it } from 'vitest';
import { startKeyVaultStandIn } from '../../dev/keyvault/server.js';
import { KeyUnavailableError } from '../../shared/crypto/errors.js';
import { keyProviderFromSettings } from '../../shared/crypto/key-provider-from-settings.js';
import { isAzureKeyVaultHost } from '../../shared/crypto/keyvault-secret-source.js';
import { toProblemResponse } from '../../shared/http/problem.js';
import { newKeyBase64, staticCredential, TEST_TOKEN } from './support.js';

describe('Key Vault wiring', () => {
  it('keeps the challenge-resource check for Azure vault domains only', () => {
    for (const url of [
      'https://contoso.vault.azure.net',
      'https://contoso.VAULT.azure.net/',
      'https://contoso.vault.azure.cn',
      'https://contoso.vault.usgovcloudapi.net',
      'https://contoso.vault.microsoftazure.de',
      'https://contoso.managedhsm.azure.net',
    ]) {
      expect(isAzureKeyVaultHost(url), url).toBe(true);
    }
    for (const url of [
      'https://localhost:8443',
      'https://127.0.0.1:1',
      'https://vault.azure.net.example.com',
      'https://evilvault.azure.net',
      'https://vault.azure.net',
    ]) {
      expect(isAzureKeyVaultHost(url), url).toBe(false);
    }
  });

  it('selects Key Vault from the settings when KEY_VAULT_URL is set, with the given credential', async () => {
    const vault = await startKeyVaultStandIn({ accessToken: TEST_TOKEN });
    try {
      const key = newKeyBase64();
      const version = vault.setSecret('tenant-key', key);
      const provider = await keyProviderFromSettings(
        // TOKEN_ENCRYPTION_KEY is ignored once a vault is configured.
        { KEY_VAULT_URL: vault.vaultUrl, TOKEN_KEY_SECRET_NAME: 'tenant-key', TOKEN_ENCRYPTION_KEY: newKeyBase64() },
        staticCredential(),
      );
      await expect(provider.check()).resolves.toBeUndefined();
      expect(await provider.current()).toEqual({ version, key: Buffer.from(key, 'base64') });
    } finally {
      await vault.close();
    }
  });

  it('maps an unavailable key to a 503 problem that names no internals', () => {
    const error = new KeyUnavailableError('Key Vault secret "token-encryption-key" could not be read (status 403).');
    const response = toProblemResponse(error, 'req-1');
    expect(response.status).toBe(503);
    const body = response.jsonBody as { code: string; detail: string };
    expect(body.code).toBe('service_unavailable');
    expect(body.detail).not.toContain('token-encryption-key');
    expect(error.message).toContain('status 403');
  });
});
