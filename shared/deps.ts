import type { TokenCredential } from '@azure/core-auth';
import { settings, type Settings } from './config.js';
import { createEnvelope, type Envelope } from './crypto/envelope.js';
import type { KeyProvider } from './crypto/key-provider.js';
import { keyProviderFromSettings } from './crypto/key-provider-from-settings.js';
import { storageAccount, type StorageAccount } from './storage/account.js';

/** The adapters one worker process shares across invocations. */
export interface Deps {
  settings: Settings;
  storage: StorageAccount;
  keys: KeyProvider;
  envelope: Envelope;
}

let pending: Promise<Deps> | undefined;

/** Built once per worker; a failed build is dropped so the next invocation tries again. */
export function deps(): Promise<Deps> {
  pending ??= build().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

/** Forgets the built adapters (tests and the local host re-read settings). */
export function resetDeps(): void {
  pending = undefined;
}

async function build(): Promise<Deps> {
  const config = settings();
  // @azure/identity is heavy: loaded only where a managed identity is actually used.
  let credential: Promise<TokenCredential> | undefined;
  const managedIdentity = () =>
    (credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential()));
  const keys = await keyProviderFromSettings(config, config.KEY_VAULT_URL ? await managedIdentity() : undefined);
  return { settings: config, storage: storageAccount(config, managedIdentity), keys, envelope: createEnvelope(keys) };
}
