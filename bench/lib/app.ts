import { TableClient } from '@azure/data-tables';
import { createLogger, type Logger } from '../../shared/log.js';

/** The app's structured logger with its full cost (redaction, JSON), keeping only warnings and errors. */
export function benchLogger(kept: string[] = []): Logger {
  const keep = (line: string) => void (kept.length < 50 && kept.push(line.slice(0, 500)));
  return createLogger({ debug() {}, info() {}, warn: keep, error: keep });
}

export const tableClient = (connection: string, name: string) =>
  TableClient.fromConnectionString(connection, name, { allowInsecureConnection: true });

/** An integration's caller partition (user key), read straight from Azurite. */
export async function userKeyOf(connection: string, integrationId: string): Promise<string> {
  for await (const row of tableClient(connection, 'Integrations').listEntities({
    queryOptions: { filter: `RowKey eq '${integrationId}'`, select: ['PartitionKey'] },
  })) {
    return String(row.partitionKey);
  }
  throw new Error(`integration ${integrationId} not found`);
}

/** `last_sync` of every integration, straight from Azurite (never through the counting proxy). */
export async function lastSyncs(
  connection: string,
): Promise<Map<string, { status: string; job_id: string; items_upserted: number; error: unknown } | null>> {
  const out = new Map();
  for await (const row of tableClient(connection, 'Integrations').listEntities<{ lastSync: string }>({
    queryOptions: { select: ['RowKey', 'lastSync'] },
  })) {
    out.set(String(row.rowKey), JSON.parse(row.lastSync ?? 'null'));
  }
  return out;
}
