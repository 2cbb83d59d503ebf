import { odata } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { adapters } from '../../shared/root.js';
import { IntegrationRepository } from '../../shared/integrations/repository.js';
import { encodeJob, newJob } from '../../shared/sync/job.js';
import { scheduleDueSyncs } from '../../shared/sync/scheduler.js';
import { benchLogger } from '../lib/app.js';

export interface FanOutInput {
  /** The scheduler's `now`: every seeded integration is due at it. */
  now: string;
  /**
   * A fresh queue per run: emptying a queue of 100,000 messages keeps Azurite busy for many minutes
   * (it rebuilds an index per removed message), which would slow whatever runs next.
   */
  queueName: string;
}
export interface FanOutOutput {
  ms: number;
  jobs: number;
  heapUsedMiB: number;
  /** CPU time this process used during the run (user + system): how much of `ms` was its own work. */
  cpuMs: number;
}

/** Scheduler concurrency (shared/sync/scheduler.ts): the bare loop uses the same. */
export const CONCURRENCY = 32;
const PAGE_SIZE = 1000;

/** The queue client as the app builds it (shared/storage/account.ts), for another queue name. */
const queueFor = (connection: string, name: string) =>
  QueueServiceClient.fromConnectionString(connection).getQueueClient(name);

const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const heap = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);

/** Ours: the timer's use-case over the seeded Integrations table. */
export async function oursFanOut(input: FanOutInput): Promise<FanOutOutput> {
  const d = await adapters();
  const table = await d.storage.table('Integrations');
  const queue = queueFor(d.settings.AzureWebJobsStorage!, input.queueName);
  const kept: string[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await scheduleDueSyncs(
    table,
    new IntegrationRepository(table),
    queue,
    d.settings.SYNC_INTERVAL_MINUTES,
    benchLogger(kept),
    new Date(input.now),
  );
  const ms = performance.now() - started;
  if (result.failed) throw new Error(`the scheduler failed ${result.failed} enqueues: ${kept.slice(0, 2).join(' | ')}`);
  return { ms, jobs: result.enqueued, heapUsedMiB: heap(), cpuMs: cpuSince(cpu) };
}

/**
 * The bare enqueue loop: the same paged query of due rows, one job message per row, CONCURRENCY
 * sends in flight per page, as the scheduler does; no row parsing, no ETag-guarded mark.
 */
export async function bareFanOut(input: FanOutInput): Promise<FanOutOutput> {
  const d = await adapters();
  const table = await d.storage.table('Integrations');
  const queue = queueFor(d.settings.AzureWebJobsStorage!, input.queueName);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let jobs = 0;
  const filter = odata`status eq 'active' and nextSyncAt le ${input.now}`;
  for await (const page of table.listEntities({ queryOptions: { filter } }).byPage({ maxPageSize: PAGE_SIZE })) {
    let next = 0;
    const worker = async () => {
      while (next < page.length) {
        const row = page[next++]!;
        await queue.sendMessage(encodeJob(newJob(String(row.partitionKey), String(row.rowKey), 'full')));
        jobs++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, page.length) }, worker));
  }
  return { ms: performance.now() - started, jobs, heapUsedMiB: heap(), cpuMs: cpuSince(cpu) };
}
