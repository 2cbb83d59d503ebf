import { adapters } from '../../shared/root.js';
import { scheduleDueSyncs } from '../../shared/sync/scheduler.js';
import type { SimStats } from '../../dev/sim/stats.js';
import type { TableTraffic } from '../../test/support/counting-proxy.js';
import { BENCH_SETTINGS } from '../env/settings.js';
import { startStack, type Stack } from '../../test/support/stack.js';
import { benchLogger, lastSyncs, tableClient, userKeyOf } from '../lib/app.js';
import type { Options, ScenarioResult } from '../lib/report.js';
import { mapLimit, median, waitUntil } from '../lib/stats.js';
import { referenceCycle, type Connected } from './b1-reference.js';
import { b1Rows } from './b1-rows.js';

/** Host.json's queue batchSize: the worker's concurrency, used for the reference as well. */
const CONCURRENCY = 16;

export interface CycleMeasure {
  ms: number;
  tables: Record<string, TableTraffic>;
  graph: SimStats;
}

/**
 * B1: a cycle in which nothing changed, for A accounts each connected twice (a calendar
 * integration of E events, a mail integration of M messages). Ours is the app's real cycle: the
 * scheduler queues every integration, the host's queue trigger runs the worker. The reference is
 * the seed's strategy. Table writes are counted by a proxy in front of Azurite, Graph requests by
 * the simulator.
 */
export async function runB1(options: Options): Promise<ScenarioResult> {
  const size = options.quick
    ? { accounts: 6, events: 100, messages: 200, reps: 3 }
    : { accounts: 100, events: 500, messages: 1000, reps: 3 };
  const stack = await startStack({
    simulator: 'child-process',
    countTables: true,
    serve: 'http+worker',
    hostJson: 'app',
    keepLogs: false,
    settings: BENCH_SETTINGS,
  });
  try {
    const integrations = await setUp(stack, size);
    const refTables = {
      events: tableClient(process.env.AzureWebJobsStorage!, 'BenchRefEvents'),
      messages: tableClient(process.env.AzureWebJobsStorage!, 'BenchRefMessages'),
    };
    await Promise.all([refTables.events.createTable(), refTables.messages.createTable()]);
    const ours: CycleMeasure[] = [];
    const reference: CycleMeasure[] = [];
    for (let rep = 0; rep < size.reps; rep++) {
      for (const which of rep % 2 === 0 ? ['ours', 'reference'] : ['reference', 'ours']) {
        if (which === 'ours') ours.push(await measure(stack, () => oursCycle(stack, integrations.length)));
        else reference.push(await measure(stack, () => referenceCycle(integrations, refTables, CONCURRENCY)));
      }
    }
    if (stack.failures.length) throw new Error(`the app logged failures: ${stack.failures.slice(0, 3).join(' | ')}`);
    return b1Rows({
      size,
      integrations: integrations.length,
      ours,
      reference,
      oursMs: median(ours.map((c) => c.ms)),
      referenceMs: median(reference.map((c) => c.ms)),
    });
  } finally {
    await stack.stop();
  }
}

async function setUp(
  stack: Stack<'child-process'>,
  size: { accounts: number; events: number; messages: number },
): Promise<Connected[]> {
  const emails = Array.from({ length: size.accounts }, (_, i) => `b1-${i}@contoso.example`);
  for (const email of emails) {
    await stack.sim.createUser({
      email,
      calendar: { events: size.events, recurring_series: 0, all_day: 0 },
      mailbox: { messages: size.messages, folders: [] },
    });
  }
  // Connecting queues each integration's first full sync; the host's worker runs them meanwhile.
  const connected = (
    await mapLimit(emails, 4, async (email) => {
      const calendar = await stack.connectedId(email, 'microsoft_calendar');
      const mail = await stack.connectedId(email, 'microsoft_outlook');
      const userKey = await userKeyOf(stack.direct, calendar);
      return [
        { userKey, id: calendar, kind: 'calendar' },
        { userKey, id: mail, kind: 'mail' },
      ] as Connected[];
    })
  ).flat();
  const syncs = await waitUntil(
    'the first syncs',
    async () => {
      const now = await lastSyncs(stack.direct);
      if ([...now.values()].some((s) => s?.status === 'failed')) throw new Error('a first sync failed');
      return connected.every((c) => now.get(c.id)?.status === 'succeeded') ? now : undefined;
    },
    30 * 60_000,
    500,
  );
  // Every integration holds its whole seed: the steady state is measured over the sizes claimed.
  const short = connected.filter(
    (c) => syncs.get(c.id)?.items_upserted !== (c.kind === 'calendar' ? size.events : size.messages),
  );
  if (short.length) throw new Error(`${short.length} integrations did not store their whole seed`);
  return connected;
}

/** One measured cycle: counters zeroed, the cycle run, what reached Azurite and the simulator collected. */
async function measure(stack: Stack<'child-process'>, cycle: () => Promise<void>): Promise<CycleMeasure> {
  await stack.sim.resetStats();
  stack.proxy.reset();
  const started = performance.now();
  await cycle();
  const ms = performance.now() - started;
  return { ms, tables: stack.proxy.counts(), graph: await stack.sim.stats() };
}

/** The timer's work with a `now` past every next_sync_at, then waits until the worker has run every job. */
async function oursCycle(stack: Stack<'child-process'>, expected: number): Promise<void> {
  const before = await lastSyncs(stack.direct);
  const d = await adapters();
  const [{ integrations, jobs: queue }, table] = await Promise.all([d.stores(), d.storage.table('Integrations')]);
  const result = await scheduleDueSyncs(
    table,
    integrations,
    queue,
    d.settings.SYNC_INTERVAL_MINUTES,
    benchLogger(),
    new Date(Date.now() + 30 * 60_000),
  );
  if (result.enqueued !== expected)
    throw new Error(`the scheduler queued ${result.enqueued} of ${expected} integrations`);
  await waitUntil(
    'the worker',
    async () => {
      const now = await lastSyncs(stack.direct);
      let done = 0;
      for (const [id, last] of now) {
        if (last?.status === 'failed') throw new Error(`a sync failed: ${JSON.stringify(last.error)}`);
        if (last?.status === 'succeeded' && last.job_id !== before.get(id)?.job_id) done++;
      }
      return done === expected ? true : undefined;
    },
    10 * 60_000,
    50,
  );
}
