import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../shared/log.js';
import { ItemWriter, type ItemUpsert } from '../../shared/sync/item-writer.js';
import { startAzurite, type Azurite } from '../support/azurite.js';

// Rows the field tables would never build (they cap every column), written straight to the
// writer: Azurite refuses them as Table Storage does, and the rest of the page must still land.

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

const item = (pk: string, id: string, minute: number, title = `t-${id}`): ItemUpsert => {
  const rowKey = `e|${new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString()}|${id}`;
  return { id, rowKey, hash: `h-${title.length}`, row: { partitionKey: pk, rowKey, id, title } };
};

async function stored(pk: string) {
  const items: string[] = [];
  const pointers: string[] = [];
  for await (const r of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${pk}'` } })) {
    if (String(r.rowKey).startsWith('p|')) pointers.push(String(r.rowKey).slice(2));
    else items.push(String(r.id));
  }
  return { items: items.sort(), pointers: pointers.sort() };
}

const warnings: { message: string; fields: unknown }[] = [];
const log: Logger = {
  debug: () => {},
  info: () => {},
  warn: (message, fields) => void warnings.push({ message, fields }),
  error: () => {},
  child: () => log,
};

describe('the item writer and refused items', () => {
  it('stores the rest of a page whose transaction Table Storage refuses for one item, and counts that item', async () => {
    const pk = randomUUID();
    const page = Array.from({ length: 30 }, (_, i) => item(pk, `id${String(i).padStart(2, '0')}`, i));
    page[17] = item(pk, 'id17', 17, 'x'.repeat(40_000)); // over the 32K-character property limit
    const writer = new ItemWriter(table, pk, '', undefined, log);
    const result = await writer.apply(page, [], 'r1');
    expect(result).toEqual({ upserted: 29, deleted: 0 });
    expect(writer.skipped).toEqual(['id17']);
    const expected = page.map((u) => u.id).filter((id) => id !== 'id17');
    expect(await stored(pk)).toEqual({ items: expected, pointers: expected });
    const warning = warnings.find((w) => w.message === 'item refused by storage; skipped');
    expect(warning?.fields).toMatchObject({
      item: 'id17',
      status: 400,
      partition: pk,
      storage_error: 'PropertyValueTooLarge',
    });
    expect(JSON.stringify(warning)).not.toContain('xxxx');
  });

  it('a later round stores the item once it fits, and a refused update leaves the stored copy alone', async () => {
    const pk = randomUUID();
    const writer = new ItemWriter(table, pk);
    await writer.apply([item(pk, 'a', 1), item(pk, 'b', 2, 'x'.repeat(40_000))], [], 'r1');
    expect(writer.skipped).toEqual(['b']);
    expect(await writer.apply([item(pk, 'b', 2, 'fits now')], [], 'r2')).toEqual({ upserted: 1, deleted: 0 });
    // An update of `a` too large for an entity (1 MiB) is refused; `a` keeps its last good row.
    const huge = item(pk, 'a', 1, 'y'.repeat(30_000));
    Object.assign(huge.row, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${i}`, 'z'.repeat(30_000)])));
    expect(await writer.apply([huge, item(pk, 'c', 3)], [], 'r3')).toEqual({ upserted: 1, deleted: 0 });
    expect(writer.skipped).toEqual(['b', 'a']);
    expect(await stored(pk)).toEqual({ items: ['a', 'b', 'c'], pointers: ['a', 'b', 'c'] });
    const a = await table.getEntity<{ title: string }>(pk, item(pk, 'a', 1).rowKey);
    expect(a.title).toBe('t-a');
  });

  it('still fails the page on a transient storage error (the job retries it)', async () => {
    const pk = randomUUID();
    let calls = 0;
    const flaky = new Proxy(table, {
      get(target, prop, receiver) {
        if (prop === 'submitTransaction') {
          return async (...args: Parameters<TableClient['submitTransaction']>) => {
            if (++calls === 1) throw Object.assign(new Error('busy'), { statusCode: 503 });
            return target.submitTransaction(...args);
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const writer = new ItemWriter(flaky, pk);
    await expect(writer.apply([item(pk, 'a', 1)], [], 'r1')).rejects.toThrow('busy');
    expect(writer.skipped).toEqual([]);
  });
});
