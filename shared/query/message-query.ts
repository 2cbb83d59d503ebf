import { odata } from '@azure/data-tables';
import type { Caller } from '../identity/caller.js';
import { messageRowSchema, messageView } from '../items/message.js';
import { invertTime, MESSAGE_PREFIX, prefixEnd } from '../items/keys.js';
import type { Logger } from '../log.js';
import { createCursorCodec, cursorBinding } from '../paging/cursor.js';
import { messageColumns, messageConditions } from './message-filters.js';
import { messageBinding, messageProviders, type MessageQuery } from './message-params.js';
import { takePage } from './page.js';
import { integrationsInScope, type QueryPorts } from './scope.js';
import { keepUnskipped, parsedRows, scanMatching } from './table-scan.js';

type MessageRange = Pick<MessageQuery, 'received_after' | 'received_before'> & Parameters<typeof messageColumns>[0];

/**
 * The range scan of one integration's partition for a message query. Row keys are
 * `m|<inverted ms>|<id>` (newest first), so `received_before` (exclusive) becomes the lower bound
 * just past every key of that instant and `received_after` (exclusive) the upper bound just below
 * it; then the query's table-side filters (message-filters.ts; `search` cannot be one: Table
 * Storage has no substring match). Every value passes through `odata`.
 */
export function messageFilter(partition: string, q: MessageRange, after?: string): string {
  const from =
    q.received_before === undefined ? MESSAGE_PREFIX : prefixEnd(`${MESSAGE_PREFIX}${invertTime(q.received_before)}|`);
  const to =
    q.received_after === undefined ? prefixEnd(MESSAGE_PREFIX) : `${MESSAGE_PREFIX}${invertTime(q.received_after)}|`;
  const parts = [odata`PartitionKey eq ${partition}`, odata`RowKey ge ${from}`, odata`RowKey lt ${to}`];
  if (after !== undefined) parts.push(odata`RowKey gt ${MESSAGE_PREFIX + after}`);
  return [...parts, ...messageColumns(q)].join(' and ');
}

/** One page of GET /api/integrations/email-messages for a parsed query. */
export async function emailMessagesPage(d: QueryPorts, caller: Caller, q: MessageQuery, log: Logger) {
  const codec = createCursorCodec(d.keys);
  const binding = cursorBinding(caller.userKey, messageBinding(q));
  const position = q.cursor === undefined ? undefined : await codec.open(binding, q.cursor);

  const { integrations } = d;
  const scope = await integrationsInScope(integrations, caller, messageProviders(q), q.integration_id);
  const table = await d.storage.table('EmailMessages');
  const { keep, selective, prefilter } = messageConditions(q);
  // When filters in memory drop most rows read (a search), read big pages; otherwise just what the page needs.
  const pageSize = selective ? 1000 : Math.min(q.limit + 1, 1000);
  const streams = scope.map((integration) =>
    scanMatching({
      table,
      filter: messageFilter(integration.id, q, position?.after),
      schema: messageRowSchema,
      pageSize,
      log,
      prefilter,
    }),
  );
  const page = await takePage(streams, q.limit, { keep: keepUnskipped(keep) });
  const rows = parsedRows(page.rows);
  const { nextAfter } = page;

  // Every row comes from a partition in scope; the fallback only satisfies the type.
  const providerOf = new Map(scope.map((i) => [i.id, i.provider]));
  return {
    results: rows.map((row) => messageView(row, providerOf.get(row.partitionKey) ?? 'microsoft_outlook')),
    next_cursor: nextAfter === undefined ? null : await codec.issue(binding, { after: nextAfter }),
  };
}
