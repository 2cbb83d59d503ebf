import { QueueServiceClient } from '@azure/storage-queue';
import { startStack } from '../../test/support/stack.js';
import { tableClient } from '../lib/app.js';
import { runTask, type TaskResult } from '../lib/child.js';
import { fmt, ms, times, type Options, type ScenarioResult } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';
import { seedIntegrations } from './b4-seed.js';
import { CONCURRENCY, type FanOutOutput } from './b4-tasks.js';

const GOAL = 0.8;
const progress = (line: string) => console.log(`[bench] B4 ${line}`);
/** "Memory does not grow": the peak RSS at 10× the integrations stays within this factor. */
const RSS_GROWTH_LIMIT = 1.25;

/**
 * B4: the scheduler over N due integrations against a bare enqueue loop at the same concurrency,
 * each run in a fresh process (its peak RSS is its own). Runs at N/10 and N: memory that does not
 * grow with the number of integrations shows as equal peaks.
 */
export async function runB4(options: Options): Promise<ScenarioResult> {
  // At 100,000 integrations one run takes minutes (Azurite rewrites a table's indexes on every
  // write), so the large size runs once each: a run that long averages out short noise.
  const plan = options.quick ? { small: 200, large: 2_000, reps: 1 } : { small: 10_000, large: 100_000, reps: 1 };
  const stack = await startStack({ simulator: 'none', serve: 'none', settings: { LOG_LEVEL: 'warn' } });
  const table = tableClient(stack.direct, 'Integrations');
  const queues = QueueServiceClient.fromConnectionString(stack.direct);
  const runs: Record<string, { ours: TaskResult<FanOutOutput>[]; bare: TaskResult<FanOutOutput>[]; seedMs: number }> =
    {};
  let runNumber = 0;
  try {
    await table.createTable();
    // The small size runs once: it gives the peak RSS at a tenth of the integrations, and shows how
    // the ratio depends on the table's size.
    for (const [label, count, reps] of [
      ['small', plan.small, 1],
      ['large', plan.large, plan.reps],
    ] as const) {
      const seedStarted = performance.now();
      await seedIntegrations(table, count);
      const run: (typeof runs)[string] = { ours: [], bare: [], seedMs: performance.now() - seedStarted };
      runs[label] = run;
      progress(`seeded ${count} integrations in ${Math.round(run.seedMs / 1000)} s`);
      let marked = false; // ours marks every row queued: the next run needs them due and idle again
      for (let rep = 0; rep < reps; rep++) {
        for (const which of rep % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare']) {
          if (marked) await seedIntegrations(table, count);
          const queueName = `bench-fanout-${++runNumber}`;
          await queues.getQueueClient(queueName).create();
          const result = await runTask<FanOutOutput>(`b4-${which}`, {
            now: new Date(Date.now() + 1000).toISOString(),
            queueName,
          });
          if (result.value.jobs !== count) throw new Error(`${which} queued ${result.value.jobs} of ${count} jobs`);
          (which === 'ours' ? run.ours : run.bare).push(result);
          marked = which === 'ours';
          progress(`${which} over ${count}: ${Math.round(result.value.ms / 1000)} s`);
        }
      }
    }
  } finally {
    await stack.stop();
  }
  const large = runs.large!;
  const small = runs.small!;
  const jobsPerS = (r: TaskResult<FanOutOutput>) => (r.value.jobs / r.value.ms) * 1000;
  const oursRate = median(large.ours.map(jobsPerS));
  const bareRate = median(large.bare.map(jobsPerS));
  const rateRatio = ratio(oursRate, bareRate);
  const rss = {
    oursSmall: small.ours[0]!.peakRssMiB,
    oursLarge: median(large.ours.map((r) => r.peakRssMiB)),
    bareLarge: median(large.bare.map((r) => r.peakRssMiB)),
  };
  const growth = ratio(rss.oursLarge, rss.oursSmall);
  const smallRatio = ratio(jobsPerS(small.ours[0]!), jobsPerS(small.bare[0]!));
  const busy = (r: TaskResult<FanOutOutput>) => `${fmt((r.value.cpuMs / r.value.ms) * 100, 0)}%`;
  return {
    id: 'B4',
    title: 'scheduler fan-out',
    params: { ...plan, concurrency: CONCURRENCY },
    figures: {
      seed_ms: { small: small.seedMs, large: large.seedMs },
      runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, { ours: v.ours, bare: v.bare }])),
      ours_jobs_per_s: oursRate,
      bare_jobs_per_s: bareRate,
      rate_ratio: rateRatio,
      small_rate_ratio: smallRatio,
      peak_rss_mib: rss,
    },
    rows: [
      {
        metric: `jobs per second over ${fmt(plan.large, 0)} due integrations (median of ${plan.reps})`,
        ours: fmt(oursRate, 0),
        reference: fmt(bareRate, 0),
        ratio: times(rateRatio),
        goal: `≥ ${GOAL}× the bare loop`,
        met: rateRatio >= GOAL,
      },
      {
        metric: `time for ${fmt(plan.large, 0)} integrations`,
        ours: ms(median(large.ours.map((r) => r.value.ms))),
        reference: ms(median(large.bare.map((r) => r.value.ms))),
        ratio: '',
        goal: '',
      },
      {
        metric: `the same at ${fmt(plan.small, 0)} integrations (one run each): jobs per second`,
        ours: fmt(jobsPerS(small.ours[0]!), 0),
        reference: fmt(jobsPerS(small.bare[0]!), 0),
        ratio: times(smallRatio),
        goal: '',
      },
      {
        metric: `CPU busy share of the process during the ${fmt(plan.large, 0)} run (the rest is waiting for storage)`,
        ours: busy(large.ours[0]!),
        reference: busy(large.bare[0]!),
        ratio: '',
        goal: '',
      },
      {
        metric: `peak RSS, ${fmt(plan.small, 0)} → ${fmt(plan.large, 0)} integrations`,
        ours: `${rss.oursSmall} → ${rss.oursLarge} MiB`,
        reference: `${rss.bareLarge} MiB`,
        ratio: times(growth),
        goal: `does not grow (≤ ${RSS_GROWTH_LIMIT}× at 10×)`,
        met: growth <= RSS_GROWTH_LIMIT,
      },
    ],
    notes: [
      `Bare loop: the same paged query of due rows, one sendMessage per row, ${CONCURRENCY} in flight per page; ours also parses each row and marks it queued (an ETag-guarded replace of its Integrations row) before sending, so it does two storage writes per job where the bare loop does one.`,
      'Each run gets a fresh queue; the table is re-seeded before a run that follows one of ours (ours marks every row queued). Azurite keeps a table as one in-memory collection whose indexes it updates on every write, so a single-entity write costs more as the table grows: compare the ratio at both sizes.',
    ],
  };
}
