import type { Settings } from '../config.js';
import type { KeyProvider } from './key-provider.js';
import { createLocalKeyProvider } from './local-key-provider.js';
import type { TokenCredential } from './keyvault-secret-source.js';

export type KeySettings = Pick<Settings, 'KEY_VAULT_URL' | 'TOKEN_KEY_SECRET_NAME' | 'TOKEN_ENCRYPTION_KEY'>;

/**
 * The KeyProvider the settings ask for: Key Vault when KEY_VAULT_URL is set (with the given
 * credential, else DefaultAzureCredential), otherwise the development key TOKEN_ENCRYPTION_KEY.
 * The Azure SDKs are imported only on the Key Vault path, keeping cold starts light elsewhere.
 */
export async function keyProviderFromSettings(
  settings: KeySettings,
  credential?: TokenCredential,
): Promise<KeyProvider> {
  if (settings.KEY_VAULT_URL) {
    const [{ createKeyVaultKeyProvider }, resolved] = await Promise.all([
      import('./keyvault-key-provider.js'),
      credential ?? import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential()),
    ]);
    return createKeyVaultKeyProvider({
      vaultUrl: settings.KEY_VAULT_URL,
      secretName: settings.TOKEN_KEY_SECRET_NAME,
      credential: resolved,
    });
  }
  if (!settings.TOKEN_ENCRYPTION_KEY) {
    throw new Error('Set KEY_VAULT_URL, or TOKEN_ENCRYPTION_KEY for development.');
  }
  return createLocalKeyProvider({ key: settings.TOKEN_ENCRYPTION_KEY });
}
