import { randomBytes } from 'node:crypto';

export interface StoredSecret {
  name: string;
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  /** Unix seconds, as Key Vault reports them. */
  created: number;
  updated: number;
}

export interface SetSecretInput {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
}

/** The stand-in's secrets: every set adds a version; the latest is the one set last, as in Key Vault. */
export class SecretStore {
  private readonly secrets = new Map<string, StoredSecret[]>();

  set(name: string, input: SetSecretInput): StoredSecret {
    const now = Math.floor(Date.now() / 1000);
    const secret: StoredSecret = {
      name,
      // Key Vault versions are 32 lower-case hex characters.
      version: randomBytes(16).toString('hex'),
      value: input.value,
      enabled: input.enabled ?? true,
      created: now,
      updated: now,
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
    };
    const versions = this.secrets.get(name.toLowerCase()) ?? [];
    versions.push(secret);
    // Names are case-insensitive in Key Vault.
    this.secrets.set(name.toLowerCase(), versions);
    return secret;
  }

  /** Enables or disables one version; undefined when the name or version is unknown. */
  setEnabled(name: string, version: string, enabled: boolean): StoredSecret | undefined {
    const secret = this.get(name, version);
    if (!secret) return undefined;
    secret.enabled = enabled;
    secret.updated = Math.floor(Date.now() / 1000);
    return secret;
  }

  /** The latest version, or a given one; undefined when the name or version is unknown. */
  get(name: string, version?: string): StoredSecret | undefined {
    const versions = this.secrets.get(name.toLowerCase());
    if (!versions) return undefined;
    if (!version) return versions.at(-1);
    return versions.find((v) => v.version === version.toLowerCase());
  }
}
