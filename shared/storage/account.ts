import { TableClient } from '@azure/data-tables';
import { type QueueClient, QueueServiceClient } from '@azure/storage-queue';
import type { TokenCredential } from '@azure/core-auth';
import type { Settings } from '../config.js';

import type { QueueName, TableName } from './names.js';

export { QUEUES, TABLES, type QueueName, type TableName } from './names.js';

/** The app's storage account: tables and queues, each created the first time it is used. */
export interface StorageAccount {
  table(name: TableName): Promise<TableClient>;
  queue(name: QueueName): Promise<QueueClient>;
}

/**
 * With a connection string (local Azurite, or a key-based account) the clients use it; with only
 * `AzureWebJobsStorage__accountName` they use a managed identity, the same setting the Functions
 * runtime reads for its own triggers.
 */
export function storageAccount(settings: Settings, credential?: () => Promise<TokenCredential>): StorageAccount {
  const connection = settings.AzureWebJobsStorage;
  const accountName = settings.AzureWebJobsStorage__accountName;
  const insecure = { allowInsecureConnection: true };
  const tables = new Map<TableName, Promise<TableClient>>();
  const queues = new Map<QueueName, Promise<QueueClient>>();

  const makeTable = async (name: TableName): Promise<TableClient> => {
    const client = connection
      ? TableClient.fromConnectionString(connection, name, insecure)
      : new TableClient(`https://${accountName}.table.core.windows.net`, name, await requireCredential(credential));
    await client.createTable(); // a 409 (already exists) is swallowed by the SDK
    return client;
  };
  const makeQueue = async (name: QueueName): Promise<QueueClient> => {
    const service = connection
      ? QueueServiceClient.fromConnectionString(connection)
      : new QueueServiceClient(`https://${accountName}.queue.core.windows.net`, await requireCredential(credential));
    const client = service.getQueueClient(name);
    await client.createIfNotExists();
    return client;
  };
  // A failed creation is forgotten so the next call tries again (storage may come back).
  const memo =
    <K, V>(cache: Map<K, Promise<V>>, make: (k: K) => Promise<V>) =>
    (key: K) => {
      let pending = cache.get(key);
      if (!pending) {
        pending = make(key).catch((error: unknown) => {
          cache.delete(key);
          throw error;
        });
        cache.set(key, pending);
      }
      return pending;
    };
  return { table: memo(tables, makeTable), queue: memo(queues, makeQueue) };
}

async function requireCredential(credential?: () => Promise<TokenCredential>): Promise<TokenCredential> {
  if (!credential) throw new Error('AzureWebJobsStorage__accountName needs a managed identity credential');
  return credential();
}
