import { recordSyncJob, type SyncEnd, type SyncLabels } from './metrics.js';
import { annotateActiveSpan } from './spans.js';

/**
 * Observes one sync job from the moment it holds the lease: at its end, records the sync metrics
 * and adds provider, items and error code to the job's span. Ends once; later calls are ignored.
 */
export function observeSync(labels: SyncLabels): { end(end: SyncEnd): void } {
  const startedAt = performance.now();
  let ended = false;
  return {
    end(end) {
      if (ended) return;
      ended = true;
      recordSyncJob(labels, performance.now() - startedAt, end);
      // Lost consent and errors show as failed requests; a throttled job sent back to the queue does not.
      const failedCode =
        end.outcome === 'reauth_required' ? 'reauth_required' : end.outcome === 'failed' ? end.errorCode : undefined;
      annotateActiveSpan(
        {
          provider: labels.provider,
          sync_outcome: end.outcome,
          ...(end.outcome === 'succeeded' ? { items_upserted: end.upserted, items_deleted: end.deleted } : {}),
          ...('errorCode' in end ? { error_code: end.errorCode } : {}),
        },
        failedCode,
      );
    },
  };
}
