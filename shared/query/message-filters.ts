import { odata } from '@azure/data-tables';
import type { z } from 'zod';
import type { messageRowSchema } from '../items/message.js';
import type { Conditions } from './event-filters.js';
import { folderKey, searchTerm, WELL_KNOWN_FOLDERS } from './filter-params.js';
import { allOf, mayHoldAddress, searchHolds } from './raw-match.js';
import type { MessageQuery } from './message-params.js';

type MessageRow = z.infer<typeof messageRowSchema>;
type ColumnFilters = Partial<
  Pick<MessageQuery, 'is_read' | 'importance' | 'has_attachments' | 'conversation_id' | 'folder'>
>;

const isWellKnown = (folder: string) => (WELL_KNOWN_FOLDERS as readonly string[]).includes(folder);

/** The table-side conditions of a message query (values quoted by `odata`). */
export function messageColumns(q: ColumnFilters): string[] {
  const columns: string[] = [];
  if (q.is_read !== undefined) columns.push(odata`isRead eq ${q.is_read}`);
  if (q.importance !== undefined) columns.push(odata`importance eq ${q.importance}`);
  if (q.has_attachments !== undefined) columns.push(odata`hasAttachments eq ${q.has_attachments}`);
  if (q.conversation_id !== undefined) columns.push(odata`conversationId eq ${q.conversation_id}`);
  if (q.folder !== undefined && !isWellKnown(q.folder))
    columns.push(odata`(folder eq ${q.folder} or folderId eq ${q.folder})`);
  return columns;
}

/**
 * The message filters of a query beyond the row-key range. is_read, importance, has_attachments,
 * conversation_id and a folder id (the synced folder as configured, or Graph's parentFolderId) are
 * columns every row has and filter at the table; a well-known folder name is matched without case
 * (a deployment may list `Inbox` in SYNC_MAIL_FOLDERS), and
 * search and `from` look into text and JSON columns: those run on the rows read. Every condition is
 * also tested in memory.
 */
export function messageConditions(q: MessageQuery): Conditions<MessageRow> {
  const columns = messageColumns(q);
  const tests: ((row: MessageRow) => boolean)[] = [];
  let selective = false;
  if (q.is_read !== undefined) tests.push((row) => row.isRead === q.is_read);
  if (q.importance !== undefined) tests.push((row) => row.importance === q.importance);
  if (q.has_attachments !== undefined) tests.push((row) => row.hasAttachments === q.has_attachments);
  if (q.conversation_id !== undefined) tests.push((row) => row.conversationId === q.conversation_id);
  const { folder, from } = q;
  if (folder !== undefined) {
    selective ||= isWellKnown(folder);
    tests.push((row) => folderKey(row.folder) === folder || row.folderId === folder);
  }
  if (from !== undefined) {
    selective = true;
    tests.push((row) => row.from?.email.toLowerCase() === from);
  }
  const term = searchTerm(q.search);
  if (term !== undefined) {
    selective = true;
    tests.push((row) => row.search.includes(term));
  }
  const keep = tests.length === 0 ? undefined : (row: MessageRow) => tests.every((t) => t(row));
  const prefilter = allOf([
    term === undefined ? undefined : searchHolds(term),
    from === undefined ? undefined : mayHoldAddress('from', from),
  ]);
  return { columns, keep, selective, prefilter };
}
