import { odata, type TableClient } from '@azure/data-tables';
import { MESSAGE_SELECT, mapMessage } from '../graph/map-message.js';
import { contentHash } from '../graph/map-event.js';
import { graphMessageSchema, parseDeltaPage, type GraphMessage } from '../graph/schemas.js';
import { messageToRow } from '../items/message.js';
import { MESSAGE_PREFIX, invertTime, itemId, messageRowKey, prefixEnd } from '../items/keys.js';
import type { StreamSpec } from './delta-stream.js';
import type { ItemUpsert, ItemWriter } from './item-writer.js';

const DAY_MS = 24 * 3600 * 1000;

/** Mail received since this instant is kept (SYNC_MAIL_DAYS, at a whole UTC day). */
export function mailCutoff(now: Date, days: number): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - days * DAY_MS);
}

export function mailStream(options: {
  integrationId: string;
  folder: string;
  cutoff: Date;
  pageSize: number;
  /** GRAPH_BASE_URL: links of pages elsewhere are refused. */
  graphBaseUrl: string;
}): StreamSpec<GraphMessage> {
  const { integrationId, folder } = options;
  // Message delta accepts only `receivedDateTime ge|gt` as a filter; the date is frozen into the round.
  const query = new URLSearchParams({
    $select: MESSAGE_SELECT,
    $filter: `receivedDateTime ge ${options.cutoff.toISOString()}`,
  });
  return {
    stream: `mail:${folder}`,
    initialUrl: `/me/mailFolders/${encodeURIComponent(folder)}/messages/delta?${query.toString().replace(/\+/g, '%20')}`,
    headers: { Prefer: `odata.maxpagesize=${options.pageSize}` },
    parsePage: (body) => parseDeltaPage(body, graphMessageSchema, options.graphBaseUrl),
    itemIdOf: (graphId) => itemId(integrationId, graphId),
    async toUpserts(messages) {
      const out: ItemUpsert[] = [];
      for (const message of messages) {
        const record = mapMessage(integrationId, folder, message);
        if (!record) continue;
        const rowKey = messageRowKey(record.receivedMs, record.id);
        out.push({
          id: record.id,
          rowKey,
          hash: contentHash(record),
          row: messageToRow(integrationId, rowKey, record),
        });
      }
      return out;
    },
  };
}

/**
 * Drops this folder's messages older than the cutoff. Newest-first row keys put them at the end of
 * the `m|` range, so finding them is one short range read that is usually empty.
 */
export async function expireOldMail(
  table: TableClient,
  writer: ItemWriter,
  integrationId: string,
  folder: string,
  cutoff: Date,
  round: string,
): Promise<number> {
  const from = `${MESSAGE_PREFIX}${invertTime(cutoff.getTime())}`;
  const rows = table.listEntities<{ id: string; folder: string }>({
    queryOptions: {
      filter: odata`PartitionKey eq ${integrationId} and RowKey gt ${from} and RowKey lt ${prefixEnd(MESSAGE_PREFIX)} and folder eq ${folder}`,
      select: ['id'],
    },
  });
  const ids: string[] = [];
  for await (const row of rows) ids.push(row.id);
  return ids.length ? (await writer.apply([], ids, round)).deleted : 0;
}
