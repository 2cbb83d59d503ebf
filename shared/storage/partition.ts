import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { statusOf } from './status.js';

export const MAX_BATCH = 100;
/**
 * A transaction's payload may not exceed 4 MiB; stay clear of it. Sizes are UTF-8 bytes of the
 * entities' JSON (the wire format): a character count would let non-Latin text pass at 3× the size.
 */
const MAX_BATCH_BYTES = 3_000_000;

/**
 * Commits groups of actions on ONE partition in transactions of at most 100 entities and ~3 MB,
 * never splitting a group (an item's row, old row and pointer go together, all or nothing).
 * Table Storage rejects a whole transaction that deletes a missing row; such a transaction is
 * replayed one action at a time with deletes of missing rows ignored, which is what the caller
 * meant (the row is gone either way). `committed` is called after each group is durable.
 */
export async function submitGroups<G>(
  table: TableClient,
  groups: { actions: TransactionAction[]; tag: G }[],
  committed?: (tag: G) => void,
): Promise<void> {
  let batch: typeof groups = [];
  let count = 0;
  let bytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const actions = batch.flatMap((g) => g.actions);
    try {
      await table.submitTransaction(actions);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      for (const action of actions) await submitOne(table, action);
    }
    for (const g of batch) committed?.(g.tag);
    batch = [];
    count = 0;
    bytes = 0;
  };
  for (const group of groups) {
    const size = group.actions.reduce((n, a) => n + Buffer.byteLength(JSON.stringify(a[1])), 0);
    if (count + group.actions.length > MAX_BATCH || bytes + size > MAX_BATCH_BYTES) await flush();
    batch.push(group);
    count += group.actions.length;
    bytes += size;
  }
  await flush();
}

async function submitOne(table: TableClient, [kind, entity, mode]: TransactionAction): Promise<void> {
  const e = entity as { partitionKey: string; rowKey: string };
  if (kind === 'delete') {
    try {
      await table.deleteEntity(e.partitionKey, e.rowKey);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  } else if (kind === 'upsert') {
    await table.upsertEntity(e, (mode as 'Replace' | 'Merge' | undefined) ?? 'Merge');
  } else {
    await table.submitTransaction([[kind, entity, mode] as TransactionAction]);
  }
}

/** Deletes every row of a partition, reading only its keys; rows already gone are fine. */
export async function deletePartition(table: TableClient, partitionKey: string): Promise<number> {
  let deleted = 0;
  const pages = table
    .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } })
    .byPage({ maxPageSize: 1000 });
  for await (const page of pages) {
    const groups = page.map((row) => ({
      actions: [['delete', { partitionKey, rowKey: String(row.rowKey) }] as TransactionAction],
      tag: null,
    }));
    await submitGroups(table, groups);
    deleted += groups.length;
  }
  return deleted;
}
