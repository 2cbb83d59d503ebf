import type { Settings } from '../config.js';
import { GraphError, type GraphGet } from '../graph/client.js';
import type { Integration } from '../integrations/model.js';
import type { Logger } from '../log.js';
import type { Stream, SyncType } from '../providers.js';
import type { StorageAccount } from '../storage/account.js';
import { calendarStream, calendarWindow } from './calendar-stream.js';
import { runDeltaStream } from './delta-stream.js';
import { ItemWriter, PartitionPointers } from './item-writer.js';
import { expireOldMail, mailCutoff, mailStream } from './mail-stream.js';
import { SyncStateStore } from './state-store.js';

export interface StreamPorts {
  settings: Settings;
  storage: StorageAccount;
  get: GraphGet;
  log: Logger;
  heartbeat(force?: boolean): Promise<void>;
}

const wanted = (syncType: SyncType, stream: Stream) =>
  syncType === 'full' ||
  (syncType === 'calendar' && stream === 'calendar') ||
  (syncType === 'email' && stream === 'mail');

/** Syncs the integration's streams that the job asks for; mail folders run side by side. */
export async function runStreams(ports: StreamPorts, integration: Integration, syncType: SyncType, streams: Stream[]) {
  const { settings, storage, log } = ports;
  const states = new SyncStateStore(await storage.table('SyncState'), integration.id, settings.GRAPH_BASE_URL);
  const pageBudget = settings.SYNC_MAX_PAGES_PER_STREAM;
  const now = new Date();
  const tasks: Promise<{ upserted: number; deleted: number }>[] = [];

  if (streams.includes('calendar') && wanted(syncType, 'calendar')) {
    const table = await storage.table('CalendarEvents');
    const spec = calendarStream({
      integrationId: integration.id,
      get: ports.get,
      window: calendarWindow(now, settings.SYNC_CALENDAR_DAYS_BACK, settings.SYNC_CALENDAR_DAYS_AHEAD),
      pageSize: settings.GRAPH_PAGE_SIZE,
      graphBaseUrl: settings.GRAPH_BASE_URL,
    });
    const writer = new ItemWriter(table, integration.id, '', undefined, log);
    tasks.push(runDeltaStream(spec, { get: ports.get, states, writer, log, heartbeat: ports.heartbeat, pageBudget }));
  }
  if (streams.includes('mail') && wanted(syncType, 'mail')) {
    const table = await storage.table('EmailMessages');
    const cutoff = mailCutoff(now, settings.SYNC_MAIL_DAYS);
    // One view of the partition's pointers for every folder: a message moves between them.
    const pointers = new PartitionPointers(table, integration.id);
    for (const folder of settings.SYNC_MAIL_FOLDERS) {
      const writer = new ItemWriter(table, integration.id, folder, pointers, log);
      const pageSize = settings.GRAPH_PAGE_SIZE;
      const spec = mailStream({
        integrationId: integration.id,
        folder,
        cutoff,
        pageSize,
        graphBaseUrl: settings.GRAPH_BASE_URL,
      });
      tasks.push(
        runDeltaStream(spec, { get: ports.get, states, writer, log, heartbeat: ports.heartbeat, pageBudget }).then(
          async (r) => ({
            upserted: r.upserted,
            deleted: r.deleted + (await expireOldMail(table, writer, integration.id, folder, cutoff, '')),
          }),
          (error: unknown) => {
            // A configured folder this mailbox does not have is nothing to sync, not a failure.
            if (error instanceof GraphError && error.statusCode === 404) {
              log.warn('mail folder not found; skipped', { folder });
              return { upserted: 0, deleted: 0 };
            }
            throw error;
          },
        ),
      );
    }
  }
  // Every stream finishes (or fails) before the job ends: none keeps writing after its lease is gone.
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const results = settled.map((r) => (r as PromiseFulfilledResult<{ upserted: number; deleted: number }>).value);
  return results.reduce((a, r) => ({ upserted: a.upserted + r.upserted, deleted: a.deleted + r.deleted }), {
    upserted: 0,
    deleted: 0,
  });
}
