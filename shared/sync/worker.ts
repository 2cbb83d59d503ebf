import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { deps } from '../deps.js';
import { loggerFor } from '../log.js';
import { repositories } from '../services.js';
import { QUEUES } from '../storage/account.js';
import { SpanKind, inSpan } from '../telemetry/spans.js';
import { encodeJob, syncJobSchema, type SyncJob } from './job.js';
import { runSyncJob } from './run-job.js';

/** A job throttled this many times in a row is left to fail through the poison path. */
const MAX_REQUEUES = 50;
/** Storage queues accept a visibility delay of at most 7 days; Retry-After is far below that. */
const MAX_DELAY_S = 3600;

/** Parses a queue message; a malformed one is logged and dropped (retrying cannot fix it). */
export function parseJob(message: unknown, context: InvocationContext): SyncJob | undefined {
  const parsed = syncJobSchema.safeParse(message);
  if (!parsed.success) {
    loggerFor(context).warn('malformed sync job dropped', { issues: parsed.error.issues.length });
    return undefined;
  }
  return parsed.data;
}

/** The queue trigger's work: one job; throttling sends it back, visible again after Retry-After. */
export async function handleSyncJob(message: unknown, context: InvocationContext): Promise<void> {
  const job = parseJob(message, context);
  if (!job) return;
  const log = loggerFor(context, { integration_id: job.integration_id, job_id: job.job_id, dequeue_count: context.triggerMetadata?.dequeueCount });
  // Telemetry: the job is one consumer span (a Request named sync.job in Application Insights);
  // Graph and Storage calls nest under it and runSyncJob adds the outcome. No-op without telemetry.
  const attributes = {
    'ai.operation.name': 'sync.job',
    integration_id: job.integration_id,
    job_id: job.job_id,
    sync_type: job.sync_type,
    invocation_id: context.invocationId,
    dequeue_count: Number(context.triggerMetadata?.dequeueCount ?? 0),
    requeues: job.requeues,
  };
  await inSpan('sync.job', { kind: SpanKind.CONSUMER, attributes }, async (span) => {
    const d = await deps();
    const repos = await repositories(d);
    const outcome = await runSyncJob({ settings: d.settings, storage: d.storage, integrations: repos.integrations, tokenCaches: repos.tokenCaches, log }, job);
    if (outcome.kind === 'requeue') {
      if (job.requeues >= MAX_REQUEUES) throw new Error('throttled too many times');
      const queue = await d.storage.queue(QUEUES.syncJobs);
      const delay = Math.min(MAX_DELAY_S, Math.max(1, Math.ceil(outcome.delayMs / 1000)));
      await queue.sendMessage(encodeJob({ ...job, requeues: job.requeues + 1 }), { visibilityTimeout: delay });
    }
    span.setAttribute('outcome', outcome.kind);
    log.info('sync job finished', { outcome: outcome.kind });
  });
}

const poisonSchema = z.object({ integration_id: z.uuid(), user_key: z.string().min(1).max(128), job_id: z.string().max(64) });

/** The poison queue's consumer: the job gave up; its integration shows last_sync failed with the last error code. */
export async function handlePoisonJob(message: unknown, context: InvocationContext): Promise<void> {
  const log = loggerFor(context);
  const parsed = poisonSchema.safeParse(message);
  if (!parsed.success) {
    log.warn('unreadable poison message dropped');
    return;
  }
  const { integrations } = await repositories();
  const { user_key, integration_id, job_id } = parsed.data;
  await integrations.update(user_key, integration_id, (current) => {
    if (!current.lastSync || current.lastSync.job_id !== job_id || current.lastSync.status === 'succeeded') return undefined;
    return {
      ...current,
      lease: current.lease?.owner === job_id ? null : current.lease,
      lastSync: {
        ...current.lastSync,
        status: 'failed',
        finished_at: new Date().toISOString(),
        error: current.lastSync.error ?? { code: 'sync_failed', message: 'The sync failed repeatedly and was abandoned.' },
      },
    };
  });
  log.warn('sync job abandoned after repeated failures', { integration_id, job_id });
}
