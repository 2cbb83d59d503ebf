import { odata, type TableClient } from '@azure/data-tables';
import { isConflict, isNotFound } from '../storage/status.js';
import { integrationRowSchema, integrationTable, type Integration } from './model.js';

// Integrations: PartitionKey = caller's user key, RowKey = integration id (a UUID). A caller's
// integrations are one partition; a point read needs both keys, so a foreign id is simply absent.
// Columns, caps and parsing are the field table's (model.ts).

export function fromRow(row: unknown): Integration {
  return integrationRowSchema.parse(row);
}

export function toRow(i: Integration) {
  const { partitionKey, rowKey, ...columns } = integrationTable.write(i);
  return { partitionKey: String(partitionKey), rowKey: String(rowKey), ...columns };
}

/** The two keys of an integration's row: whose it is, and its id. */
export type IntegrationKey = Pick<Integration, 'userKey' | 'id'>;

export class IntegrationRepository {
  constructor(private readonly table: TableClient) {}

  async get(userKey: string, id: string): Promise<Integration | undefined> {
    try {
      return fromRow(await this.table.getEntity(userKey, id));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The caller's integrations; disconnected ones (being deleted) are not listed. */
  async listForUser(userKey: string): Promise<Integration[]> {
    const rows = this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${userKey}` } });
    const out: Integration[] = [];
    for await (const row of rows) {
      const integration = fromRow(row);
      if (integration.status !== 'disconnected') out.push(integration);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async create(integration: Integration): Promise<Integration> {
    const { etag } = await this.table.createEntity(toRow(integration));
    return { ...integration, etag };
  }

  /** Replaces the row if it has not changed since it was read (ETag); throws a 412 otherwise. */
  async replace(integration: Integration): Promise<Integration> {
    const { etag } = await this.table.updateEntity(toRow(integration), 'Replace', { etag: integration.etag ?? '*' });
    return { ...integration, etag };
  }

  /**
   * Applies `change` (a transition of lifecycle.ts) and writes the result guarded by the ETag, so two
   * writers (an API call and a worker) never overwrite each other's fields. Given a copy with its
   * ETag (as get(), create() and update() return it), the first attempt writes without reading; on
   * a lost race (412) the row is read again and `change` re-applied to it. Given only the keys, the
   * row is read first. Returns the row as written, with its new ETag; the row as it is when
   * `change` does not apply; undefined when there is no such row.
   */
  async update(
    target: Integration | IntegrationKey,
    change: (current: Integration) => Integration | undefined,
  ): Promise<Integration | undefined> {
    const known = 'etag' in target && target.etag ? target : undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = attempt === 0 && known ? known : await this.get(target.userKey, target.id);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      try {
        return await this.replace({ ...next, updatedAt: new Date().toISOString(), etag: current.etag });
      } catch (error) {
        if (!isConflict(error) && !isNotFound(error)) throw error;
      }
    }
    throw new Error('integration update lost the race 8 times');
  }

  async delete(userKey: string, id: string): Promise<void> {
    try {
      await this.table.deleteEntity(userKey, id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
