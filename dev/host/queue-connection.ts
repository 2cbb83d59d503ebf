import { QueueServiceClient, type StoragePipelineOptions } from '@azure/storage-queue';
import type { Env } from './app-settings.js';

// The listener's own loop backs off and retries, so each SDK call only retries briefly.
const pipeline: StoragePipelineOptions = {
  retryOptions: { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
};

/**
 * The QueueServiceClient for a binding's `connection` setting, resolved as the runtime does: a
 * connection string in `<connection>` (or `AzureWebJobs<connection>`), else an identity-based
 * connection from `<connection>__queueServiceUri` / `<connection>__accountName`.
 */
export async function queueServiceFor(connection: string, env: Env): Promise<QueueServiceClient> {
  const value = (env[connection] ?? env[`AzureWebJobs${connection}`])?.trim();
  if (value) return QueueServiceClient.fromConnectionString(value, pipeline);
  const uri = env[`${connection}__queueServiceUri`]?.trim();
  const account = env[`${connection}__accountName`]?.trim();
  if (uri || account) {
    const { DefaultAzureCredential } = await import('@azure/identity');
    return new QueueServiceClient(
      uri || `https://${account}.queue.core.windows.net`,
      new DefaultAzureCredential(),
      pipeline,
    );
  }
  throw new Error(`Queue connection "${connection}": set the app setting ${connection} to a storage connection string`);
}
