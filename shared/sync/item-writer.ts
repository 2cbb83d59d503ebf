import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { POINTER_PREFIX, pointerKey, prefixEnd } from '../items/keys.js';
import { submitInBatches } from '../storage/partition.js';

export interface Pointer {
  itemRowKey: string;
  hash: string;
  round: string;
  folder: string;
}

export interface ItemUpsert {
  id: string;
  rowKey: string;
  hash: string;
  row: Record<string, unknown> & { partitionKey: string; rowKey: string };
}

/**
 * Writes one integration's items into its partition: item rows plus a pointer row per item, in
 * transactions of at most 100. Unchanged items (same content hash) are not written again; in a
 * full round only their pointer is re-marked, so the sweep at the end removes exactly what Graph
 * no longer lists.
 */
export class ItemWriter {
  private pointers: Map<string, Pointer> | undefined;

  constructor(
    private readonly table: TableClient,
    private readonly partitionKey: string,
    private readonly folder = '',
  ) {}

  /** All pointer rows of the partition, read once per run and kept in step with every write. */
  private async loadPointers(): Promise<Map<string, Pointer>> {
    if (this.pointers) return this.pointers;
    const map = new Map<string, Pointer>();
    const rows = this.table.listEntities<Pointer>({
      queryOptions: {
        filter: odata`PartitionKey eq ${this.partitionKey} and RowKey ge ${POINTER_PREFIX} and RowKey lt ${prefixEnd(POINTER_PREFIX)}`,
        select: ['RowKey', 'itemRowKey', 'hash', 'round', 'folder'],
      },
    });
    for await (const row of rows) {
      map.set(String(row.rowKey).slice(POINTER_PREFIX.length), { itemRowKey: row.itemRowKey, hash: row.hash, round: row.round, folder: row.folder ?? '' });
    }
    this.pointers = map;
    return map;
  }

  /** Applies one page. `round` is set in a full round (marking), undefined in a delta round. */
  async apply(upserts: ItemUpsert[], removals: string[], round: string): Promise<{ upserted: number; deleted: number }> {
    if (upserts.length === 0 && removals.length === 0) return { upserted: 0, deleted: 0 };
    const pointers = await this.loadPointers();
    // Keyed by row key: a transaction may not touch one entity twice, and the last word wins.
    const actions = new Map<string, TransactionAction>();
    const pk = this.partitionKey;
    let upserted = 0;
    let deleted = 0;
    for (const u of upserts) {
      const current = pointers.get(u.id);
      if (current && current.hash === u.hash && current.itemRowKey === u.rowKey) {
        if (current.round !== round) {
          const next = { ...current, round };
          pointers.set(u.id, next);
          actions.set(pointerKey(u.id), ['upsert', { partitionKey: pk, rowKey: pointerKey(u.id), ...next }, 'Replace']);
        }
        continue;
      }
      if (current && current.itemRowKey !== u.rowKey) actions.set(current.itemRowKey, ['delete', { partitionKey: pk, rowKey: current.itemRowKey }]);
      actions.set(u.rowKey, ['upsert', u.row, 'Replace']);
      const next: Pointer = { itemRowKey: u.rowKey, hash: u.hash, round, folder: this.folder };
      pointers.set(u.id, next);
      actions.set(pointerKey(u.id), ['upsert', { partitionKey: pk, rowKey: pointerKey(u.id), ...next }, 'Replace']);
      upserted++;
    }
    for (const id of removals) {
      const current = pointers.get(id);
      if (!current) continue;
      actions.set(current.itemRowKey, ['delete', { partitionKey: pk, rowKey: current.itemRowKey }]);
      actions.set(pointerKey(id), ['delete', { partitionKey: pk, rowKey: pointerKey(id) }]);
      pointers.delete(id);
      deleted++;
    }
    await submitInBatches(this.table, [...actions.values()]);
    return { upserted, deleted };
  }

  /** After a full round: removes this folder's items that the round did not see. */
  async sweep(round: string): Promise<number> {
    const pointers = await this.loadPointers();
    const stale = [...pointers.entries()].filter(([, p]) => p.round !== round && p.folder === this.folder).map(([id]) => id);
    return (await this.apply([], stale, round)).deleted;
  }
}
