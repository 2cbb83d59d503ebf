// An in-memory table with Table Storage's semantics where our stores depend on them: ETags that
// change on every write, 404 for a missing entity, 409 for a duplicate insert, 412 for a stale
// ETag, Replace dropping the properties it is not given. Errors are the SDK's RestError, so the
// stores' isNotFound/isConflict see what they see in production.
import { RestError } from '@azure/core-rest-pipeline';
import type { TableEntity } from '@azure/data-tables';
import type { OAuthStateTable } from '../../../shared/oauth/state-store.js';
import type { SyncStateTable } from '../../../shared/sync/state-store.js';

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string; etag: string };

const statusError = (statusCode: number, code: string) => new RestError(code, { statusCode, code });

export class MemoryTable implements SyncStateTable, OAuthStateTable {
  private readonly rows = new Map<string, Row>();
  private version = 0;
  /** Every call, in order (`get pk/rk`, `upsert pk/rk`, …), for tests that assert what was (not) asked. */
  readonly calls: string[] = [];
  /** When set, the next call of any kind fails with it (a storage outage). */
  failNext: Error | undefined;

  private static key(partitionKey: string, rowKey: string): string {
    return `${partitionKey}\u0000${rowKey}`;
  }

  private enter(call: string): void {
    this.calls.push(call);
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }

  private store(entity: TableEntity): void {
    this.rows.set(MemoryTable.key(entity.partitionKey, entity.rowKey), {
      ...structuredClone(entity),
      etag: `W/"${++this.version}"`,
    });
  }

  /** The stored row as the service holds it (with its ETag), or undefined. */
  peek(partitionKey: string, rowKey: string): Row | undefined {
    const row = this.rows.get(MemoryTable.key(partitionKey, rowKey));
    return row && structuredClone(row);
  }

  /** Every stored row. */
  all(): Row[] {
    return [...this.rows.values()].map((row) => structuredClone(row));
  }

  /** Writes a row directly, as another process or an older version of the app would have. */
  seed(entity: TableEntity): void {
    this.store(entity);
  }

  async getEntity(partitionKey: string, rowKey: string): Promise<Row> {
    this.enter(`get ${partitionKey}/${rowKey}`);
    const row = this.peek(partitionKey, rowKey);
    if (!row) throw statusError(404, 'ResourceNotFound');
    return row;
  }

  async createEntity(entity: TableEntity): Promise<void> {
    this.enter(`create ${entity.partitionKey}/${entity.rowKey}`);
    if (this.rows.has(MemoryTable.key(entity.partitionKey, entity.rowKey)))
      throw statusError(409, 'EntityAlreadyExists');
    this.store(entity);
  }

  async upsertEntity(entity: TableEntity, mode: 'Replace' | 'Merge'): Promise<void> {
    this.enter(`upsert ${entity.partitionKey}/${entity.rowKey}`);
    const current = this.rows.get(MemoryTable.key(entity.partitionKey, entity.rowKey));
    const { etag: _old, ...kept } = current ?? {};
    this.store(mode === 'Merge' ? { ...kept, ...entity } : entity);
  }

  async deleteEntity(partitionKey: string, rowKey: string, options: { etag?: string } = {}): Promise<void> {
    this.enter(`delete ${partitionKey}/${rowKey}`);
    const row = this.rows.get(MemoryTable.key(partitionKey, rowKey));
    if (!row) throw statusError(404, 'ResourceNotFound');
    if (options.etag && options.etag !== '*' && options.etag !== row.etag)
      throw statusError(412, 'UpdateConditionNotSatisfied');
    this.rows.delete(MemoryTable.key(partitionKey, rowKey));
  }

  /**
   * Only the filters the stores send are understood (`<property> lt|gt|eq '<string>'`); any
   * other filter throws, so a store that starts sending a new one fails here instead of
   * silently getting every row.
   */
  async *listEntities(options: {
    queryOptions: { filter: string; select: string[] };
  }): AsyncIterable<Record<string, unknown>> {
    this.enter(`list ${options.queryOptions.filter}`);
    const names: Record<string, string> = { PartitionKey: 'partitionKey', RowKey: 'rowKey' };
    // `and` of such comparisons, split outside quotes (a quoted value may hold the word).
    const tests = splitAnd(options.queryOptions.filter).map((term) => {
      const match = /^(\w+) (lt|gt|eq) '((?:[^']|'')*)'$/.exec(term);
      if (!match) throw new Error(`MemoryTable: unsupported filter ${options.queryOptions.filter}`);
      const [, property, op, quoted] = match as unknown as [string, string, 'lt' | 'gt' | 'eq', string];
      const value = quoted.replace(/''/g, "'");
      const key = names[property] ?? property;
      return (row: Record<string, unknown>) => {
        const v = row[key];
        return typeof v === 'string' && (op === 'lt' ? v < value : op === 'gt' ? v > value : v === value);
      };
    });
    for (const row of this.all()) {
      if (!tests.every((test) => test(row))) continue;
      yield Object.fromEntries(options.queryOptions.select.map((s) => [names[s] ?? s, row[names[s] ?? s]]));
    }
  }
}

/** The terms of `a and b and c`, split only where ` and ` stands outside a quoted value. */
function splitAnd(filter: string): string[] {
  const terms: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    if (filter[i] === "'")
      quoted = !quoted; // '' inside a value toggles twice: still quoted
    else if (!quoted && filter.startsWith(' and ', i)) {
      terms.push(filter.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  terms.push(filter.slice(start));
  return terms;
}
