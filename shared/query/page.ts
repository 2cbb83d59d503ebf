import { mergeSorted } from './merge.js';

/** What every item row has: its integration (partition) and its row key. */
export interface KeyedRow {
  partitionKey: string;
  rowKey: string;
}

/**
 * The sort key of an item row: its row key without the 2-character prefix (`e|`, `l|`, `m|`). The
 * rest (`<start ISO>|<id>`, `<inverted ms>|<id>`) is fixed-width before the id, so comparing it as
 * a string orders by start (or newest first), then id, across prefixes and partitions alike.
 */
export const sortKey = (row: KeyedRow) => row.rowKey.slice(2);

const byKey = (a: KeyedRow, b: KeyedRow) => {
  const ka = sortKey(a);
  const kb = sortKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  // Ids are hashes over the integration id, so equal keys across partitions do not occur in
  // practice; the partition only makes the order total.
  return a.partitionKey < b.partitionKey ? -1 : a.partitionKey > b.partitionKey ? 1 : 0;
};

/**
 * Merges per-partition streams (each in row-key order, each already positioned after the cursor)
 * and takes `limit` rows, reading one more to know whether another page exists. `nextAfter` is
 * the sort key the next page resumes after, or undefined on the last page.
 */
export async function takePage<R extends KeyedRow>(streams: AsyncIterable<R>[], limit: number): Promise<{ rows: R[]; nextAfter: string | undefined }> {
  const rows: R[] = [];
  for await (const row of mergeSorted(streams, byKey)) {
    rows.push(row);
    if (rows.length > limit) break;
  }
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextAfter: more && last ? sortKey(last) : undefined };
}
