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

/** Rows a request may read from storage before it answers: a search that matches little stops here. */
export const MAX_ROWS_SCANNED = 5_000;

export interface PageOptions<R> {
  /** Rows that were read but are not wanted (client-side filters such as `search`). */
  keep?: (row: R) => boolean;
  /** Stop after reading this many rows, wanted or not, and resume from there on the next page. */
  maxScanned?: number;
}

/**
 * Merges per-partition streams (each in row-key order, each already positioned after the cursor)
 * and takes `limit` wanted rows, reading one more to know whether another page exists. `nextAfter`
 * is the sort key the next page resumes after, or undefined on the last page.
 *
 * Filtering happens after the merge, so the rows read form one prefix of the merged order: when
 * the scan budget runs out, every row up to the last one read has been seen in every partition,
 * and that row's key is a safe place to resume (the page may then hold fewer than `limit` rows).
 */
export async function takePage<R extends KeyedRow>(
  streams: AsyncIterable<R>[],
  limit: number,
  options: PageOptions<R> = {},
): Promise<{ rows: R[]; nextAfter: string | undefined }> {
  const { keep, maxScanned = MAX_ROWS_SCANNED } = options;
  const rows: R[] = [];
  let scanned = 0;
  for await (const row of mergeSorted(streams, byKey)) {
    scanned++;
    if (!keep || keep(row)) rows.push(row);
    if (rows.length > limit) break;
    if (scanned >= maxScanned) return { rows, nextAfter: sortKey(row) };
  }
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextAfter: more && last ? sortKey(last) : undefined };
}
