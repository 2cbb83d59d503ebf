import type { TableClient } from '@azure/data-tables';
import type { z } from 'zod';
import type { Logger } from '../log.js';

export interface ScanOptions<S extends z.ZodType> {
  table: TableClient;
  /** An OData filter built with the `odata` tag; it must pin PartitionKey (never a table scan). */
  filter: string;
  schema: S;
  /** Rows per request; pages are fetched only as the consumer asks for more rows. */
  pageSize: number;
  /** Only these columns (a projection, for reads that need few of a row's fields). */
  select?: string[];
  log: Logger;
}

/**
 * The rows a filter selects, in row-key order, read lazily page by page and parsed at the storage
 * edge. A row that does not parse (written by an older version, or damaged) is logged and skipped:
 * one bad row must not turn a whole query into a 500.
 */
export async function* scanRows<S extends z.ZodType>(options: ScanOptions<S>): AsyncGenerator<z.infer<S>> {
  for await (const row of scanMatching({ ...options, prefilter: undefined })) if (!isSkipped(row)) yield row;
}

/** A row a prefilter turned down unparsed: still read (it counts against a request's budget), never kept. */
export interface SkippedRow {
  partitionKey: string;
  rowKey: string;
  skipped: true;
}
export const isSkipped = (row: unknown): row is SkippedRow =>
  typeof row === 'object' && row !== null && 'skipped' in row && row.skipped === true;

/** A page filter that also drops the rows a prefilter turned down (undefined: keep every row). */
export const keepUnskipped = <R>(keep: ((row: R) => boolean) | undefined) =>
  keep && ((row: R | SkippedRow) => !isSkipped(row) && keep(row));

/** The parsed rows of a page (a page filter built by keepUnskipped has already dropped the others). */
export const parsedRows = <R>(rows: (R | SkippedRow)[]): R[] => rows.filter((row): row is R => !isSkipped(row));

/**
 * scanRows with a cheap test of the raw entity before it is parsed: an entity it turns down is
 * yielded as a SkippedRow (keys only), so the rows read keep their order and their count. The test
 * must only turn down rows the query's own filters would drop.
 */
export async function* scanMatching<S extends z.ZodType>(
  options: ScanOptions<S> & { prefilter: ((entity: Record<string, unknown>) => boolean) | undefined },
): AsyncGenerator<z.infer<S> | SkippedRow> {
  const { table, filter, schema, pageSize, log, select, prefilter } = options;
  const queryOptions = select ? { filter, select } : { filter };
  const pages = table.listEntities({ queryOptions }).byPage({ maxPageSize: pageSize });
  for await (const page of pages) {
    for (const entity of page) {
      if (prefilter && !prefilter(entity)) {
        yield { partitionKey: String(entity.partitionKey), rowKey: String(entity.rowKey), skipped: true };
        continue;
      }
      const parsed = parseRow(schema, entity);
      if (!parsed.ok) {
        // Field names and issue codes only: the values may be a user's mail.
        log.warn('skipped an unreadable item row', {
          table: table.tableName,
          partition: entity.partitionKey,
          row: entity.rowKey,
          issues: parsed.issues,
        });
        continue;
      }
      yield parsed.row;
    }
  }
}

type Parsed<T> = { ok: true; row: T } | { ok: false; issues: string[] };

/**
 * safeParse that also catches what a transform throws: the item schemas' JSON columns call
 * JSON.parse inside a transform, and zod lets that SyntaxError escape instead of reporting an issue.
 */
function parseRow<S extends z.ZodType>(schema: S, entity: unknown): Parsed<z.infer<S>> {
  try {
    const result = schema.safeParse(entity);
    if (result.success) return { ok: true, row: result.data };
    return { ok: false, issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.code}`) };
  } catch (error) {
    return { ok: false, issues: [`transform failed: ${error instanceof Error ? error.name : 'unknown'}`] };
  }
}
