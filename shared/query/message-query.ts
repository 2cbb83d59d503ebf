import { odata } from '@azure/data-tables';
import type { Caller } from '../identity/caller.js';
import { foldCase, messageRowSchema, messageView } from '../items/message.js';
import { invertTime, MESSAGE_PREFIX, prefixEnd } from '../items/keys.js';
import type { Logger } from '../log.js';
import { createCursorCodec, cursorBinding } from '../paging/cursor.js';
import { messageBinding, messageProviders, type MessageQuery } from './message-params.js';
import { takePage } from './page.js';
import { integrationsInScope, type QueryPorts } from './scope.js';
import { scanRows } from './table-scan.js';

type MessageFilters = Pick<MessageQuery, 'is_read' | 'importance' | 'received_after' | 'received_before'>;

/**
 * The range scan of one integration's partition for a message query. Row keys are
 * `m|<inverted ms>|<id>` (newest first), so `received_before` (exclusive) becomes the lower bound
 * just past every key of that instant and `received_after` (exclusive) the upper bound just below
 * it. is_read and importance are filtered server-side; `search` cannot be (Table Storage has no
 * substring match) and is applied to the rows read. Every value passes through `odata`.
 */
export function messageFilter(partition: string, q: MessageFilters, after?: string): string {
  const from =
    q.received_before === undefined ? MESSAGE_PREFIX : prefixEnd(`${MESSAGE_PREFIX}${invertTime(q.received_before)}|`);
  const to =
    q.received_after === undefined ? prefixEnd(MESSAGE_PREFIX) : `${MESSAGE_PREFIX}${invertTime(q.received_after)}|`;
  const parts = [odata`PartitionKey eq ${partition}`, odata`RowKey ge ${from}`, odata`RowKey lt ${to}`];
  if (after !== undefined) parts.push(odata`RowKey gt ${MESSAGE_PREFIX + after}`);
  if (q.is_read !== undefined) parts.push(odata`isRead eq ${q.is_read}`);
  if (q.importance !== undefined) parts.push(odata`importance eq ${q.importance}`);
  return parts.join(' and ');
}

/** One page of GET /api/integrations/email-messages for a parsed query. */
export async function emailMessagesPage(d: QueryPorts, caller: Caller, q: MessageQuery, log: Logger) {
  const codec = createCursorCodec(d.keys);
  const binding = cursorBinding(caller.userKey, messageBinding(q));
  const position = q.cursor === undefined ? undefined : await codec.open(binding, q.cursor);

  const { integrations } = d;
  const scope = await integrationsInScope(integrations, caller, messageProviders(q), q.integration_id);
  const table = await d.storage.table('EmailMessages');
  const term = q.search === undefined ? undefined : foldCase(q.search);
  const keep = term === undefined ? undefined : (row: { search: string }) => row.search.includes(term);
  // With a search most rows read are dropped, so read big pages; without, just what the page needs.
  const pageSize = term === undefined ? Math.min(q.limit + 1, 1000) : 1000;
  const streams = scope.map((integration) =>
    scanRows({
      table,
      filter: messageFilter(integration.id, q, position?.after),
      schema: messageRowSchema,
      pageSize,
      log,
    }),
  );
  const { rows, nextAfter } = await takePage(streams, q.limit, { keep });

  // Every row comes from a partition in scope; the fallback only satisfies the type.
  const providerOf = new Map(scope.map((i) => [i.id, i.provider]));
  return {
    results: rows.map((row) => messageView(row, providerOf.get(row.partitionKey) ?? 'microsoft_outlook')),
    next_cursor: nextAfter === undefined ? null : await codec.issue(binding, { after: nextAfter }),
  };
}
