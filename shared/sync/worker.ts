import type { InvocationContext } from '@azure/functions';
import type { QueueClient } from '@azure/storage-queue';
import { z } from 'zod';
import { abandoned, unqueued } from '../integrations/lifecycle.js';
import type { IntegrationRepository } from '../integrations/repository.js';
import { loggerFor, type Logger } from '../log.js';
import { SpanKind, inSpan } from '../telemetry/spans.js';
import { encodeJob, syncJobSchema, type SyncJob } from './job.js';
import { runSyncJob, type SyncPorts } from './run-job.js';

/** A job throttled this many times in a row is left to fail through the poison path. */
const MAX_REQUEUES = 50;
/** Storage queues accept a visibility delay of at most 7 days; Retry-After is far below that. */
const MAX_DELAY_S = 3600;

/** What the queue trigger's work needs: the job's ports (its log is made per job) and the sync-jobs queue. */
export type WorkerPorts = Omit<SyncPorts, 'log'> & { jobs: QueueClient };

/** Parses a queue message; a malformed one is logged and dropped (retrying cannot fix it). */
export function parseJob(message: unknown, context: InvocationContext): SyncJob | undefined {
  const parsed = syncJobSchema.safeParse(message);
  if (!parsed.success) {
    loggerFor(context).warn('malformed sync job dropped', { issues: parsed.error.issues.length });
    return undefined;
  }
  return parsed.data;
}

// Jobs running in this process. A message delivered again while its first delivery still runs
// here (its visibility ran out: a stalled run, a host that does not renew it) names the same job,
// which may hold the lease: run side by side, the two would write the same streams twice over
// (and two full rounds would sweep each other's items). The second delivery waits for the first
// and ends as it ends; a redelivery after this process died runs, and resumes from the checkpoint.
const running = new Map<string, Promise<void>>();

/** The queue trigger's work: one job; throttling sends it back, visible again after Retry-After. */
export async function handleSyncJob(ports: WorkerPorts, message: unknown, context: InvocationContext): Promise<void> {
  const job = parseJob(message, context);
  if (!job) return;
  const already = running.get(job.job_id);
  if (already) {
    loggerFor(context).info('job already running in this worker; waiting for it', { job_id: job.job_id });
    return already;
  }
  const run = runJob(ports, job, context);
  running.set(job.job_id, run);
  try {
    await run;
  } finally {
    running.delete(job.job_id);
  }
}

async function runJob(ports: WorkerPorts, job: SyncJob, context: InvocationContext): Promise<void> {
  const dequeueCount = context.triggerMetadata?.dequeueCount;
  const log = loggerFor(context, {
    integration_id: job.integration_id,
    job_id: job.job_id,
    dequeue_count: dequeueCount,
  });
  // Telemetry: the job is one consumer span (a Request named sync.job in Application Insights);
  // Graph and Storage calls nest under it and runSyncJob adds the outcome. No-op without telemetry.
  const attributes = {
    'ai.operation.name': 'sync.job',
    integration_id: job.integration_id,
    job_id: job.job_id,
    sync_type: job.sync_type,
    invocation_id: context.invocationId,
    dequeue_count: Number(dequeueCount ?? 0),
    requeues: job.requeues,
  };
  await inSpan('sync.job', { kind: SpanKind.CONSUMER, attributes }, async (span) => {
    const outcome = await runSyncJob({ ...ports, log }, job);
    if (outcome.kind === 'requeue') {
      if (job.requeues >= MAX_REQUEUES) throw new Error('throttled too many times');
      const delay = Math.min(MAX_DELAY_S, Math.max(1, Math.ceil(outcome.delayMs / 1000)));
      await ports.jobs.sendMessage(encodeJob({ ...job, requeues: job.requeues + 1 }), { visibilityTimeout: delay });
    }
    if (outcome.kind === 'succeeded' && outcome.followUp) await sendFollowUp(ports, job, outcome.followUp, log);
    span.setAttribute('outcome', outcome.kind);
    log.info('sync job finished', { outcome: outcome.kind });
  });
}

/**
 * The follow-up round owed to notifications that came during the job, visible after the delay
 * (a burst collapses into few rounds). If it cannot be sent, last_sync is put back to the job that
 * just succeeded, so the next notification or the timer queues a round instead of waiting on a ghost.
 */
async function sendFollowUp(
  ports: WorkerPorts,
  job: SyncJob,
  followUp: { job: SyncJob; delayMs: number },
  log: Logger,
): Promise<void> {
  const visibilityTimeout = Math.min(MAX_DELAY_S, Math.max(0, Math.ceil(followUp.delayMs / 1000)));
  try {
    await ports.jobs.sendMessage(encodeJob(followUp.job), visibilityTimeout > 0 ? { visibilityTimeout } : {});
    log.info('follow-up round queued', { follow_up_job_id: followUp.job.job_id, delay_s: visibilityTimeout });
  } catch (error) {
    log.warn('could not queue the follow-up round', { error });
    const key = { userKey: job.user_key, id: job.integration_id };
    await ports.integrations
      .update(key, (current) =>
        current.lastSync?.job_id === followUp.job.job_id
          ? unqueued(current, followUp.job.job_id, { lastSync: null, nextSyncAt: current.nextSyncAt })
          : undefined,
      )
      .catch(() => undefined);
  }
}

const poisonSchema = z.object({
  integration_id: z.uuid(),
  user_key: z.string().min(1).max(128),
  job_id: z.string().max(64),
});

/**
 * The poison queue's consumer: the job gave up after every delivery failed. Its integration shows
 * last_sync failed with the last error code, and turns `error` with that error as its reason
 * (lifecycle `abandoned`); the next sync that succeeds makes it `active` again.
 */
export async function handlePoisonJob(
  ports: { integrations: IntegrationRepository },
  message: unknown,
  log: Logger,
): Promise<void> {
  const parsed = poisonSchema.safeParse(message);
  if (!parsed.success) {
    log.warn('unreadable poison message dropped');
    return;
  }
  const { user_key, integration_id, job_id } = parsed.data;
  await ports.integrations.update({ userKey: user_key, id: integration_id }, (current) =>
    abandoned(current, job_id, new Date()),
  );
  log.warn('sync job abandoned after repeated failures', { integration_id, job_id });
}
