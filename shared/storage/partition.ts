import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

export const MAX_BATCH = 100;

/** Runs actions of ONE partition as transactions of at most 100 (Table Storage's limit). */
export async function submitInBatches(table: TableClient, actions: TransactionAction[]): Promise<void> {
  for (let i = 0; i < actions.length; i += MAX_BATCH) {
    await table.submitTransaction(actions.slice(i, i + MAX_BATCH));
  }
}

/** Deletes every row of a partition, reading only its keys. Returns how many rows were deleted. */
export async function deletePartition(table: TableClient, partitionKey: string): Promise<number> {
  let deleted = 0;
  const pages = table
    .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } })
    .byPage({ maxPageSize: 1000 });
  for await (const page of pages) {
    const actions: TransactionAction[] = page.map((row) => ['delete', { partitionKey, rowKey: String(row.rowKey) }]);
    await submitInBatches(table, actions);
    deleted += actions.length;
  }
  return deleted;
}
