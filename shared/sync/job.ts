import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { syncTypeSchema, type SyncType } from '../providers.js';

/** A queue message asking for one sync of one integration. Parsed at the queue edge. */
export const syncJobSchema = z.strictObject({
  job_id: z.uuid(),
  user_key: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/),
  integration_id: z.uuid(),
  sync_type: syncTypeSchema,
  /** How many times throttling sent this job back to the queue: bounded, so a job cannot circle forever. */
  requeues: z.number().int().min(0).max(1000).default(0),
  /** A round asked for by change notifications: the earliest receipt (notifications.latency). */
  notified_at: z.iso.datetime().optional(),
});
export type SyncJob = z.infer<typeof syncJobSchema>;

export function newJob(userKey: string, integrationId: string, syncType: SyncType, notifiedAt?: string): SyncJob {
  const job: SyncJob = {
    job_id: randomUUID(),
    user_key: userKey,
    integration_id: integrationId,
    sync_type: syncType,
    requeues: 0,
  };
  return notifiedAt ? { ...job, notified_at: notifiedAt } : job;
}

/** Base64 of the JSON, as the Functions queue trigger expects by default (host.json messageEncoding). */
export const encodeJob = (job: SyncJob): string => Buffer.from(JSON.stringify(job), 'utf8').toString('base64');
