import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { POINTER_PREFIX, pointerKey, prefixEnd } from '../items/keys.js';
import type { Logger } from '../log.js';
import { submitGroups } from '../storage/partition.js';
import { statusOf } from '../storage/status.js';

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

type Change = { id: string; next: Pointer | undefined; counts: 'upserted' | 'deleted' | 'marked' };
type Group = { actions: TransactionAction[]; tag: Change };

/** Table Storage refused the content (a property, entity or body over its limits, a bad value): retrying it cannot help. */
const isRefused = (error: unknown) => statusOf(error) === 400 || statusOf(error) === 413;

/**
 * The pointer rows of one partition, read once per run and shared by the writers of its streams
 * (the mail folders run side by side). Writers change them one at a time: with immutable ids a
 * message moved between two synced folders is `@removed` by one stream and listed by the other,
 * and each must decide on what the other has already committed.
 */
export class PartitionPointers {
  private map: Promise<Map<string, Pointer>> | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly table: TableClient,
    private readonly partitionKey: string,
  ) {}

  load(): Promise<Map<string, Pointer>> {
    this.map ??= this.read().catch((error: unknown) => {
      this.map = undefined; // a failed read is retried by the next page
      throw error;
    });
    return this.map;
  }

  /** Runs `fn` after every change queued before it has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<Map<string, Pointer>> {
    const map = new Map<string, Pointer>();
    const rows = this.table.listEntities<Pointer>({
      queryOptions: {
        filter: odata`PartitionKey eq ${this.partitionKey} and RowKey ge ${POINTER_PREFIX} and RowKey lt ${prefixEnd(POINTER_PREFIX)}`,
        select: ['RowKey', 'itemRowKey', 'hash', 'round', 'folder'],
      },
    });
    for await (const row of rows) {
      map.set(String(row.rowKey).slice(POINTER_PREFIX.length), {
        itemRowKey: row.itemRowKey,
        hash: row.hash,
        round: row.round,
        folder: row.folder ?? '',
      });
    }
    return map;
  }
}

/**
 * Writes one integration's items into its partition: item rows plus a pointer row per item.
 * Each item's actions (old row, new row, pointer) commit together in one transaction; the
 * in-memory pointers change only once that transaction is durable, so a failure part-way
 * through a page leaves storage and memory agreeing, and the retried page converges. Unchanged
 * items (same content hash) are not written again; in a full round only their pointer is
 * re-marked, so the sweep at the end removes exactly what Graph no longer lists.
 *
 * A transaction Table Storage refuses for its content (one item over a limit the field tables
 * should have kept it under) is retried item by item: the items that fit are stored, the one it
 * still refuses is skipped, counted in `skipped` and logged, and the page goes on. One bad item
 * must never wedge its stream (a retried job would resume at the same page and fail again).
 */
export class ItemWriter {
  /** Items Table Storage refused on their own since this writer was made (ids). */
  readonly skipped: string[] = [];

  constructor(
    private readonly table: TableClient,
    private readonly partitionKey: string,
    private readonly folder = '',
    /** Shared with the writers of the partition's other folders (see PartitionPointers). */
    private readonly shared = new PartitionPointers(table, partitionKey),
    private readonly log?: Logger,
  ) {}

  /** Applies one page. `round` marks what a full round saw; removals are item ids. */
  async apply(
    upserts: ItemUpsert[],
    removals: string[],
    round: string,
  ): Promise<{ upserted: number; deleted: number }> {
    if (upserts.length === 0 && removals.length === 0) return { upserted: 0, deleted: 0 };
    return this.shared.exclusive(() => this.applyNow(upserts, removals, round));
  }

  private async applyNow(
    upserts: ItemUpsert[],
    removals: string[],
    round: string,
  ): Promise<{ upserted: number; deleted: number }> {
    const pointers = await this.shared.load();
    // The last word on an item wins (a page may list an item and then its removal).
    const last = new Map<string, ItemUpsert | null>();
    for (const u of upserts) last.set(u.id, u);
    for (const id of removals) last.set(id, null);

    const pk = this.partitionKey;
    const pointerRow = (id: string, p: Pointer) => ({ partitionKey: pk, rowKey: pointerKey(id), ...p });
    const groups: Group[] = [];
    for (const [id, u] of last) {
      const current = pointers.get(id);
      if (u === null) {
        if (!current) continue; // never stored: nothing to remove
        // Moved to another synced folder, whose stream already stored it there: not this folder's to remove.
        if (current.folder && current.folder !== this.folder) continue;
        groups.push({
          actions: [
            ['delete', { partitionKey: pk, rowKey: current.itemRowKey }],
            ['delete', { partitionKey: pk, rowKey: pointerKey(id) }],
          ],
          tag: { id, next: undefined, counts: 'deleted' },
        });
        continue;
      }
      if (current && current.hash === u.hash && current.itemRowKey === u.rowKey && current.folder === this.folder) {
        if (current.round === round) continue;
        const next = { ...current, round };
        groups.push({ actions: [['upsert', pointerRow(id, next), 'Replace']], tag: { id, next, counts: 'marked' } });
        continue;
      }
      const next: Pointer = { itemRowKey: u.rowKey, hash: u.hash, round, folder: this.folder };
      const actions: TransactionAction[] = [];
      if (current && current.itemRowKey !== u.rowKey)
        actions.push(['delete', { partitionKey: pk, rowKey: current.itemRowKey }]);
      actions.push(['upsert', u.row, 'Replace'], ['upsert', pointerRow(id, next), 'Replace']);
      groups.push({ actions, tag: { id, next, counts: 'upserted' } });
    }
    const done = { upserted: 0, deleted: 0 };
    const committed = new Set<Change>();
    const commit = (change: Change) => {
      committed.add(change);
      if (change.next) pointers.set(change.id, change.next);
      else pointers.delete(change.id);
      if (change.counts !== 'marked') done[change.counts]++;
    };
    try {
      await submitGroups(this.table, groups, commit);
    } catch (error) {
      if (!isRefused(error)) throw error;
      await this.oneByOne(
        groups.filter((g) => !committed.has(g.tag)),
        commit,
      );
    }
    return done;
  }

  /** After a refused transaction: each item in its own, skipping (and counting) what is refused alone. */
  private async oneByOne(groups: Group[], commit: (change: Change) => void): Promise<void> {
    for (const group of groups) {
      try {
        await submitGroups(this.table, [group], commit);
      } catch (error) {
        if (!isRefused(error)) throw error;
        this.skipped.push(group.tag.id);
        const reason =
          error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : undefined;
        // Ids and the storage error code only: the item's values may be a user's mail.
        this.log?.warn('item refused by storage; skipped', {
          table: this.table.tableName,
          partition: this.partitionKey,
          item: group.tag.id,
          status: statusOf(error),
          storage_error: reason,
        });
      }
    }
  }

  /** After a full round: removes this folder's items that the round did not see. */
  async sweep(round: string): Promise<number> {
    const pointers = await this.shared.load();
    const stale = [...pointers.entries()]
      .filter(([, p]) => p.round !== round && p.folder === this.folder)
      .map(([id]) => id);
    return (await this.apply([], stale, round)).deleted;
  }
}
