import type { TableClient } from '@azure/data-tables';
import { contentHash } from '../../graph/map-event.js';
import { mapMessage } from '../../graph/map-message.js';
import type { GraphMessage } from '../../graph/schemas.js';
import { itemId, messageRowKey, pointerKey } from '../../items/keys.js';
import { messageRowSchema, messageToRow, messageView } from '../../items/message.js';
import { isNotFound } from '../../storage/status.js';
import { ItemWriter, PartitionPointers, type Pointer } from '../../sync/item-writer.js';

// The store side of mail writes: a stored message found by its API id, and Graph's answer written
// through the sync's own ItemWriter, so rows and pointer rows are exactly what a delta round
// would store and the next round finds the item unchanged (0 upserts).

/** API ids of messages: itemId() is 27 base64url characters. */
const ITEM_ID = /^[A-Za-z0-9_-]{27}$/;

export type MessageRow = ReturnType<typeof messageRowSchema.parse>;

export interface StoredRef {
  id: string;
  pointer: Pointer;
  row: MessageRow;
}

async function entity(table: TableClient, pk: string, rk: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await table.getEntity<Record<string, unknown>>(pk, rk);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The stored message with this API id in the integration's partition, or undefined. Two point reads. */
export async function findStoredMessage(
  table: TableClient,
  integrationId: string,
  id: string,
): Promise<StoredRef | undefined> {
  if (!ITEM_ID.test(id)) return undefined;
  const p = await entity(table, integrationId, pointerKey(id));
  if (!p) return undefined;
  const pointer: Pointer = {
    itemRowKey: String(p.itemRowKey ?? ''),
    hash: String(p.hash ?? ''),
    round: String(p.round ?? ''),
    folder: String(p.folder ?? ''),
  };
  const raw = pointer.itemRowKey && (await entity(table, integrationId, pointer.itemRowKey));
  if (!raw) return undefined;
  return { id, pointer, row: messageRowSchema.parse(raw) };
}

/**
 * Pointers of the named items only (point reads), for one write: the sync's PartitionPointers
 * reads the whole partition, which a single write does not need.
 */
class NamedPointers extends PartitionPointers {
  private named: Promise<Map<string, Pointer>> | undefined;
  constructor(
    private readonly tableClient: TableClient,
    private readonly pk: string,
    private readonly known: ReadonlyMap<string, Pointer>,
  ) {
    super(tableClient, pk);
  }
  override load(): Promise<Map<string, Pointer>> {
    this.named ??= Promise.resolve(new Map(this.known));
    return this.named;
  }
}

/** The row a delta round would store for this Graph message in this synced folder. */
export function upsertFor(integrationId: string, folder: string, message: GraphMessage) {
  const record = mapMessage(integrationId, folder, message);
  if (!record) return undefined;
  const rowKey = messageRowKey(record.receivedMs, record.id);
  return { id: record.id, rowKey, hash: contentHash(record), row: messageToRow(integrationId, rowKey, record) };
}

/**
 * Stores Graph's answer for a message now in synced folder `folder` (or removes it when `folder`
 * is null: it moved where the sync does not look). The item keeps its pointer's round, so a full
 * round under way neither sweeps it nor counts it again.
 */
export async function writeThrough(
  table: TableClient,
  integrationId: string,
  message: GraphMessage,
  folder: string | null,
  current: Pointer | undefined,
): Promise<MessageRow | undefined> {
  const id = itemId(integrationId, message.id);
  const known = new Map<string, Pointer>(current ? [[id, current]] : []);
  const pointers = new NamedPointers(table, integrationId, known);
  const round = current?.round ?? '';
  if (folder === null) {
    await removeStored(table, integrationId, message.id, current);
    return undefined;
  }
  const upsert = upsertFor(integrationId, folder, message);
  if (!upsert) return undefined;
  await new ItemWriter(table, integrationId, folder, pointers).apply([upsert], [], round);
  return messageRowSchema.parse(upsert.row);
}

/** Removes the stored message with this Graph id (its row and pointer row), as a delta round's `@removed` would. */
export async function removeStored(
  table: TableClient,
  integrationId: string,
  graphId: string,
  current: Pointer | undefined,
): Promise<void> {
  if (!current) return;
  const id = itemId(integrationId, graphId);
  const pointers = new NamedPointers(table, integrationId, new Map([[id, current]]));
  await new ItemWriter(table, integrationId, current.folder, pointers).apply([], [id], current.round);
}

export { messageView };
