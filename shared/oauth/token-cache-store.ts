import type { TableClient } from '@azure/data-tables';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { z } from 'zod';
import type { Envelope } from '../crypto/envelope.js';
import { isConflict, isNotFound } from '../storage/status.js';
import type { Logger } from '../log.js';

// TokenCaches: PartitionKey = integration id, RowKey = 'msal'. `cache` is MSAL's serialized token
// cache, sealed with AES-256-GCM under the Key Vault key, bound to the integration id.

const SEAL = (integrationId: string) => ({ purpose: 'msal-cache', subject: integrationId });
const rowSchema = z.object({ etag: z.string(), cache: z.string().min(1).max(32_000) });

export class TokenCacheStore {
  constructor(
    private readonly table: TableClient,
    private readonly envelope: Envelope,
  ) {}

  async read(integrationId: string): Promise<{ cache: string; etag: string; current: boolean } | undefined> {
    let row: z.infer<typeof rowSchema>;
    try {
      row = rowSchema.parse(await this.table.getEntity(integrationId, 'msal'));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const plain = await this.envelope.open(row.cache, SEAL(integrationId));
    return { cache: plain.toString('utf8'), etag: row.etag, current: await this.envelope.isCurrent(row.cache) };
  }

  /**
   * Writes the cache only if the row is still the version that was read (`etag`), or does not exist
   * yet (`etag` undefined). Returns false when another writer got there first: its cache holds
   * a refresh token at least as new as ours, so ours is dropped rather than written over it.
   */
  async write(
    integrationId: string,
    cache: string,
    etag: string | undefined,
  ): Promise<{ written: boolean; etag?: string }> {
    const entity = {
      partitionKey: integrationId,
      rowKey: 'msal',
      cache: await this.envelope.seal(cache, SEAL(integrationId)),
    };
    try {
      const result = etag
        ? await this.table.updateEntity(entity, 'Replace', { etag })
        : await this.table.createEntity(entity);
      return { written: true, etag: result.etag };
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return { written: false };
      throw error;
    }
  }

  /** Replaces the cache unconditionally: a fresh sign-in supersedes whatever was stored. */
  async put(integrationId: string, cache: string): Promise<void> {
    const entity = {
      partitionKey: integrationId,
      rowKey: 'msal',
      cache: await this.envelope.seal(cache, SEAL(integrationId)),
    };
    await this.table.upsertEntity(entity, 'Replace');
  }

  async delete(integrationId: string): Promise<void> {
    try {
      await this.table.deleteEntity(integrationId, 'msal');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** MSAL's cache-plugin contract for one integration: load before each access, save after a change. */
  plugin(integrationId: string, log?: Logger): ICachePlugin {
    let etag: string | undefined;
    let staleKey = false;
    return {
      beforeCacheAccess: async (context: TokenCacheContext) => {
        const stored = await this.read(integrationId);
        etag = stored?.etag;
        staleKey = stored ? !stored.current : false;
        if (stored) context.tokenCache.deserialize(stored.cache);
      },
      afterCacheAccess: async (context: TokenCacheContext) => {
        // Written when MSAL changed it, and also when it was sealed under a key version that has
        // since rotated: old rows move to the new key on their next use.
        if (!context.cacheHasChanged && !staleKey) return;
        staleKey = false;
        const result = await this.write(integrationId, context.tokenCache.serialize(), etag);
        if (result.written) etag = result.etag;
        else log?.warn('token cache changed concurrently; kept the stored one', { integration_id: integrationId });
      },
    };
  }
}
