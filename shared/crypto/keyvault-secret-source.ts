import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { KeyDisabledError, KeyUnavailableError, UnknownKeyVersionError } from './errors.js';
import { decodeKey, keyVersionPattern, type VersionedKey } from './key-provider.js';

/** @azure/core-auth's TokenCredential, named through SecretClient (core-auth is not a direct dependency). */
export type TokenCredential = ConstructorParameters<typeof SecretClient>[1];

// The SDK checks that a challenge's resource matches the vault's domain; only Azure's own vault
// domains are held to that (a local stand-in on localhost cannot be).
const azureVaultDomains = [
  'vault.azure.net',
  'vault.azure.cn',
  'vault.usgovcloudapi.net',
  'vault.microsoftazure.de',
  'managedhsm.azure.net',
];

/** True when the URL's host is an Azure Key Vault (or Managed HSM) domain. */
export function isAzureKeyVaultHost(vaultUrl: string): boolean {
  const host = new URL(vaultUrl).hostname.toLowerCase();
  return azureVaultDomains.some((domain) => host.endsWith(`.${domain}`));
}

export interface SecretSourceOptions {
  vaultUrl: string;
  secretName: string;
  credential: TokenCredential;
  /** Passed to SecretClient (e.g. retryOptions); challenge verification is decided here. */
  clientOptions?: SecretClientOptions;
  /** How long one read may take, retries included, before it fails as unavailable (default 5 s). */
  timeoutMs?: number;
}

/** Reads the key secret's versions from Key Vault, uncached; errors name the secret, never its value. */
export interface SecretKeySource {
  latest(): Promise<VersionedKey>;
  version(version: string): Promise<Buffer>;
}

function statusOf(error: unknown): number | undefined {
  const status = error instanceof Error && 'statusCode' in error ? error.statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

// Why a read failed, for logs: an HTTP status, a socket code (ECONNREFUSED) or the error's name
// (CredentialUnavailableError); never the error's message, which may quote a response.
function failureOf(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) return `status ${status}`;
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)) return code;
  return error instanceof Error ? error.name : 'unknown error';
}

// Key Vault answers a read of a disabled secret with 403 Forbidden and innererror SecretDisabled
// (an RBAC refusal is a 403 too, with another inner code: that one is an outage of ours, not a verdict).
function isDisabledAnswer(error: unknown): boolean {
  if (statusOf(error) !== 403) return false;
  const details =
    error instanceof Error && 'details' in error
      ? (error.details as { error?: Record<string, unknown> } | undefined)
      : undefined;
  const inner = (details?.error?.innerError ?? details?.error?.innererror) as { code?: unknown } | undefined;
  return inner?.code === 'SecretDisabled';
}

// The SDK is given the signal (it aborts the socket and the retries); the race makes the bound hold
// even for a stage that does not watch the signal (e.g. a credential that hangs).
function bounded<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createSecretKeySource(options: SecretSourceOptions): SecretKeySource {
  const { secretName } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const client = new SecretClient(options.vaultUrl, options.credential, {
    ...options.clientOptions,
    disableChallengeResourceVerification: !isAzureKeyVaultHost(options.vaultUrl),
  });

  async function read(version?: string): Promise<VersionedKey> {
    const label = version ? `Key Vault secret "${secretName}" version ${version}` : `Key Vault secret "${secretName}"`;
    let secret;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      secret = await bounded(
        client.getSecret(secretName, { ...(version ? { version } : {}), abortSignal: signal }),
        signal,
      );
    } catch (error) {
      if (signal.aborted)
        throw new KeyUnavailableError(`${label} did not answer within ${timeoutMs} ms.`, { cause: error });
      if (version && statusOf(error) === 404) throw new UnknownKeyVersionError(version);
      if (isDisabledAnswer(error)) throw disabled(label, version);
      throw new KeyUnavailableError(`${label} could not be read (${failureOf(error)}).`, { cause: error });
    }
    const readVersion = secret.properties.version;
    if (!readVersion || !keyVersionPattern.test(readVersion) || (version && readVersion !== version)) {
      throw new KeyUnavailableError(`${label} came back without a usable version.`);
    }
    if (secret.properties.enabled === false) throw disabled(label, version);
    return {
      version: readVersion,
      key: decodeKey(secret.value ?? '', `Key Vault secret "${secretName}" version ${readVersion}`),
    };
  }

  const disabled = (label: string, version: string | undefined) =>
    version ? new UnknownKeyVersionError(version, true) : new KeyDisabledError(`${label} is disabled.`);

  return {
    latest: () => read(),
    version: async (version) => {
      if (!keyVersionPattern.test(version)) throw new UnknownKeyVersionError(version);
      return (await read(version)).key;
    },
  };
}
