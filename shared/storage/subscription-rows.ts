import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { isNotFound } from './status.js';

// Subscriptions: one row per Graph subscription, PartitionKey `s:<subscription id>` (RowKey ''), so
// the notification endpoint finds a subscription in one point read; and one index row per
// integration and stream, PartitionKey `i:<integration id>`, RowKey = stream, naming the
// subscription, so a purge or a DELETE finds an integration's subscriptions without a scan.

const SUB = (id: string) => `s:${id}`;
const INDEX = (integrationId: string) => `i:${integrationId}`;

/** A Graph subscription as this app holds it: the clientState only as its SHA-256. */
export const subscriptionRowSchema = z.object({
  subscriptionId: z.string().min(1).max(128),
  integrationId: z.uuid(),
  userKey: z.string().min(1).max(128),
  stream: z.string().min(1).max(256),
  resource: z.string().min(1).max(512),
  changeType: z.string().min(1).max(64),
  clientStateHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Graph's expirationDateTime, as Graph returned it (ISO 8601). */
  expiresAt: z.string(),
  createdAt: z.string(),
  /** When it was last renewed after a reauthorizationRequired (no second PATCH within 10 minutes). */
  reauthorizedAt: z.string().optional(),
});
export type SubscriptionRow = z.infer<typeof subscriptionRowSchema>;

export class SubscriptionRows {
  constructor(private readonly table: TableClient) {}

  async get(subscriptionId: string): Promise<SubscriptionRow | undefined> {
    try {
      const parsed = subscriptionRowSchema.safeParse(await this.table.getEntity(SUB(subscriptionId), ''));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(row: SubscriptionRow): Promise<void> {
    const clean = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
    await this.table.upsertEntity({ partitionKey: SUB(row.subscriptionId), rowKey: '', ...clean }, 'Replace');
    await this.table.upsertEntity(
      { partitionKey: INDEX(row.integrationId), rowKey: row.stream, subscriptionId: row.subscriptionId },
      'Replace',
    );
  }

  /** Removes the subscription's row, and the stream's index row when it still names it. */
  async delete(row: Pick<SubscriptionRow, 'subscriptionId' | 'integrationId' | 'stream'>): Promise<void> {
    await this.table.deleteEntity(SUB(row.subscriptionId), '').catch(ignoreNotFound);
    try {
      const index = await this.table.getEntity<{ subscriptionId?: string }>(INDEX(row.integrationId), row.stream);
      if (index.subscriptionId === row.subscriptionId) {
        await this.table.deleteEntity(INDEX(row.integrationId), row.stream, { etag: index.etag });
      }
    } catch (error) {
      if (!isNotFound(error) && (error as { statusCode?: number }).statusCode !== 412) throw error;
    }
  }

  /** The integration's subscriptions, through its index rows. */
  async forIntegration(integrationId: string): Promise<SubscriptionRow[]> {
    const out: SubscriptionRow[] = [];
    const index = this.table.listEntities<{ subscriptionId?: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${INDEX(integrationId)}` },
    });
    for await (const entry of index) {
      const row = typeof entry.subscriptionId === 'string' ? await this.get(entry.subscriptionId) : undefined;
      if (row && row.integrationId === integrationId) out.push(row);
    }
    return out;
  }

  /** Subscription rows that expire at or before `iso` (the renewal timer's work list). */
  async *expiringBy(iso: string): AsyncGenerator<SubscriptionRow> {
    const filter = odata`PartitionKey ge ${'s:'} and PartitionKey lt ${'s;'} and expiresAt le ${iso}`;
    for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
      const parsed = subscriptionRowSchema.safeParse(entity);
      if (parsed.success) yield parsed.data;
    }
  }

  /** Removes every row of the integration (its subscriptions and their index). */
  async purge(integrationId: string): Promise<void> {
    const index = this.table.listEntities<{ subscriptionId?: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${INDEX(integrationId)}` },
    });
    for await (const entry of index) {
      if (typeof entry.subscriptionId === 'string') {
        const row = await this.get(entry.subscriptionId);
        if (row?.integrationId === integrationId)
          await this.table.deleteEntity(SUB(entry.subscriptionId), '').catch(ignoreNotFound);
      }
      await this.table.deleteEntity(INDEX(integrationId), String(entry.rowKey)).catch(ignoreNotFound);
    }
  }
}

function ignoreNotFound(error: unknown): void {
  if (!isNotFound(error)) throw error;
}
