import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemWriter, type ItemUpsert } from '../../shared/sync/item-writer.js';
import { startAzurite, type Azurite } from '../support/azurite.js';

let azurite: Azurite;
let table: TableClient;
beforeAll(async () => {
  azurite = await startAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, 'CalendarEvents', {
    allowInsecureConnection: true,
  });
  await table.createTable();
});
afterAll(async () => {
  await azurite?.stop();
});

const item = (pk: string, id: string, start: number, hash = 'h1'): ItemUpsert => {
  const rowKey = `e|${new Date(start).toISOString()}|${id}`;
  return { id, rowKey, hash, row: { partitionKey: pk, rowKey, id, title: `t-${hash}` } };
};

async function rows(pk: string) {
  const items: string[] = [];
  const pointers: Record<string, string> = {};
  for await (const r of table.listEntities<{ itemRowKey?: string }>({
    queryOptions: { filter: `PartitionKey eq '${pk}'` },
  })) {
    if (String(r.rowKey).startsWith('p|')) pointers[String(r.rowKey).slice(2)] = String(r.itemRowKey);
    else items.push(String(r.rowKey));
  }
  return { items: items.sort(), pointers };
}

/** The real client, whose Nth transaction fails as storage sometimes does mid-page. */
function failingOn(n: number): TableClient {
  let calls = 0;
  return new Proxy(table, {
    get(target, prop, receiver) {
      if (prop === 'submitTransaction') {
        return async (...args: Parameters<TableClient['submitTransaction']>) => {
          if (++calls === n) throw Object.assign(new Error('transient'), { statusCode: 503 });
          return target.submitTransaction(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the item writer', () => {
  it('converges after a page fails part-way: each item once, every pointer naming its row', async () => {
    const pk = randomUUID();
    const first = Array.from({ length: 80 }, (_, i) => item(pk, `id${i}`, Date.UTC(2024, 0, 1, 0, i)));
    await new ItemWriter(table, pk).apply(first, [], 'r1');
    // Every item moves (new start): three actions each, so the page needs several transactions.
    const moved = first.map((u, i) => item(pk, u.id, Date.UTC(2024, 0, 2, 0, i), 'h2'));
    await expect(new ItemWriter(failingOn(2), pk).apply(moved, [], 'r1')).rejects.toThrow('transient');
    const retried = await new ItemWriter(table, pk).apply(moved, [], 'r1');
    expect(retried.upserted).toBeGreaterThan(0);
    const { items, pointers } = await rows(pk);
    expect(items).toEqual(moved.map((u) => u.rowKey).sort());
    expect(Object.keys(pointers)).toHaveLength(80);
    for (const u of moved) expect(pointers[u.id]).toBe(u.rowKey);
  });

  it('an item listed and then removed on the same page is simply not stored', async () => {
    const pk = randomUUID();
    const result = await new ItemWriter(table, pk).apply([item(pk, 'fresh', Date.UTC(2024, 0, 1))], ['fresh'], 'r1');
    expect(result).toEqual({ upserted: 0, deleted: 0 });
    expect(await rows(pk)).toEqual({ items: [], pointers: {} });
  });

  it('removing an item whose row is already gone succeeds and drops the pointer', async () => {
    const pk = randomUUID();
    const u = item(pk, 'ghost', Date.UTC(2024, 0, 1));
    await new ItemWriter(table, pk).apply([u], [], 'r1');
    await table.deleteEntity(pk, u.rowKey);
    expect(await new ItemWriter(table, pk).apply([], ['ghost'], 'r1')).toEqual({ upserted: 0, deleted: 1 });
    expect(await rows(pk)).toEqual({ items: [], pointers: {} });
  });

  it('does not rewrite unchanged items; a new full round only re-marks their pointers and sweeps the unseen', async () => {
    const pk = randomUUID();
    const a = item(pk, 'a', Date.UTC(2024, 0, 1));
    const b = item(pk, 'b', Date.UTC(2024, 0, 2));
    await new ItemWriter(table, pk).apply([a, b], [], 'r1');
    const etag = (await table.getEntity(pk, a.rowKey)).etag;
    const writer = new ItemWriter(table, pk);
    expect(await writer.apply([a], [], 'r1')).toEqual({ upserted: 0, deleted: 0 });
    await writer.apply([a], [], 'r2');
    expect((await table.getEntity(pk, a.rowKey)).etag).toBe(etag); // the item row was not written
    expect(await writer.sweep('r2')).toBe(1);
    expect((await rows(pk)).items).toEqual([a.rowKey]);
  });
});
