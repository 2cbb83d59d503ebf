import { randomUUID } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { contentHash, mapEvent } from '../../shared/graph/map-event.js';
import { mapMessage } from '../../shared/graph/map-message.js';
import type { GraphEvent, GraphMessage } from '../../shared/graph/schemas.js';
import { eventToRow } from '../../shared/items/event.js';
import { eventRowKey, messageRowKey, pointerKey } from '../../shared/items/keys.js';
import { messageToRow } from '../../shared/items/message.js';
import { accessTokenProvider } from '../../shared/oauth/access-token.js';
import { adapters } from '../../shared/root.js';
import { calendarStream, calendarWindow } from '../../shared/sync/calendar-stream.js';
import { newJob } from '../../shared/sync/job.js';
import { mailCutoff, mailStream } from '../../shared/sync/mail-stream.js';
import { runSyncJob } from '../../shared/sync/run-job.js';
import { benchLogger } from '../lib/app.js';

export interface B2Input {
  userKey: string;
  calendarId: string;
  mailId: string;
}
export interface B2Output {
  ms: number;
  items: number;
}

/** Our worker: the two integrations' first full syncs, side by side, as two queue jobs would run. */
export async function oursInitialSync(input: B2Input): Promise<B2Output> {
  const d = await adapters();
  const repos = await d.stores();
  await Promise.all((['CalendarEvents', 'EmailMessages', 'SyncState'] as const).map((t) => d.storage.table(t)));
  const ports = {
    settings: d.settings,
    storage: d.storage,
    integrations: repos.integrations,
    tokenCaches: repos.tokenCaches,
    log: benchLogger(),
  };
  const started = performance.now();
  const outcomes = await Promise.all(
    [input.calendarId, input.mailId].map((id) => runSyncJob(ports, newJob(input.userKey, id, 'full'))),
  );
  const ms = performance.now() - started;
  let items = 0;
  for (const o of outcomes) {
    if (o.kind !== 'succeeded') throw new Error(`our sync ended ${o.kind}`);
    items += o.upserted;
  }
  return { ms, items };
}

/**
 * The raw pipeline: the same Graph pages (the same URLs and Prefer headers, one token) fetched
 * with plain fetch, mapped by the app's own mappers into the same item and pointer rows, written
 * in batches of 100 per page by a bare loop. No Graph SDK, zod, checkpoints, lease or sweep.
 */
export async function rawInitialSync(input: B2Input): Promise<B2Output> {
  const d = await adapters();
  const repos = await d.stores();
  const [events, messages] = await Promise.all([d.storage.table('CalendarEvents'), d.storage.table('EmailMessages')]);
  const log = benchLogger();
  const now = new Date();
  const s = d.settings;
  const started = performance.now();
  const counts = await Promise.all([
    rawStream(
      input.userKey,
      input.calendarId,
      events,
      (pk) =>
        calendarStream({
          integrationId: pk,
          get: unusable,
          window: calendarWindow(now, s.SYNC_CALENDAR_DAYS_BACK, s.SYNC_CALENDAR_DAYS_AHEAD),
          pageSize: s.GRAPH_PAGE_SIZE,
          graphBaseUrl: s.GRAPH_BASE_URL,
        }),
      (pk, round, item) => {
        const record = mapEvent(pk, item as GraphEvent);
        if (!record) return undefined;
        const rowKey = eventRowKey(record.startMs, record.endMs, record.id);
        return {
          row: eventToRow(pk, rowKey, record),
          pointer: {
            partitionKey: pk,
            rowKey: pointerKey(record.id),
            itemRowKey: rowKey,
            hash: contentHash(record),
            round,
            folder: '',
          },
        };
      },
    ),
    rawStream(
      input.userKey,
      input.mailId,
      messages,
      (pk) =>
        mailStream({
          integrationId: pk,
          folder: 'inbox',
          cutoff: mailCutoff(now, s.SYNC_MAIL_DAYS),
          pageSize: s.GRAPH_PAGE_SIZE,
          graphBaseUrl: s.GRAPH_BASE_URL,
        }),
      (pk, round, item) => {
        const record = mapMessage(pk, 'inbox', item as GraphMessage);
        if (!record) return undefined;
        const rowKey = messageRowKey(record.receivedMs, record.id);
        return {
          row: messageToRow(pk, rowKey, record),
          pointer: {
            partitionKey: pk,
            rowKey: pointerKey(record.id),
            itemRowKey: rowKey,
            hash: contentHash(record),
            round,
            folder: 'inbox',
          },
        };
      },
    ),
  ]);
  return { ms: performance.now() - started, items: counts[0] + counts[1] };

  async function rawStream(
    userKey: string,
    integrationId: string,
    table: TableClient,
    specFor: (pk: string) => { initialUrl: string; headers: Record<string, string> },
    toRows: (
      pk: string,
      round: string,
      item: unknown,
    ) =>
      { row: { partitionKey: string; rowKey: string }; pointer: { partitionKey: string; rowKey: string } } | undefined,
  ): Promise<number> {
    const integration = await repos.integrations.get(userKey, integrationId);
    if (!integration) throw new Error('integration missing');
    const token = await accessTokenProvider(s, repos.tokenCaches, integration, log)();
    // Its own partition, so the rows land beside ours in the same table without touching them.
    const pk = `raw-${randomUUID()}`;
    const round = randomUUID();
    const spec = specFor(pk);
    let url: string | undefined = `${s.GRAPH_BASE_URL}/v1.0${spec.initialUrl}`;
    let items = 0;
    while (url) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...spec.headers } });
      if (!res.ok) throw new Error(`Graph answered ${res.status}`);
      const page = (await res.json()) as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
      const actions: TransactionAction[] = [];
      for (const item of page.value) {
        const rows = item['@removed'] ? undefined : toRows(pk, round, item);
        if (!rows) continue;
        actions.push(['upsert', rows.row, 'Replace'], ['upsert', rows.pointer, 'Replace']);
        items++;
      }
      for (let i = 0; i < actions.length; i += 100) await table.submitTransaction(actions.slice(i, i + 100));
      url = page['@odata.nextLink'];
    }
    return items;
  }
}

const unusable = () => Promise.reject(new Error('the raw pipeline fetches by itself'));
