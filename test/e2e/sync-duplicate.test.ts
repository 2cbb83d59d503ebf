import { InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCases } from '../../shared/root.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { folderId, mailboxTruth, simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { byId, storedRows, truthMessage } from '../support/truth.js';

// A queue message can come again while its first delivery still runs (its visibility ran out: a
// stalled run, or a host that does not renew it, as the crash test's host with its 2 s lease).
// Both deliveries name the same job, so both could hold the lease and sync the same streams side
// by side; in one worker process the second delivery waits for the first instead.

let stack: Stack;
beforeAll(async () => {
  // HTTP only: the test delivers the job itself, twice at once.
  stack = await startStack({
    serve: 'http',
    settings: { GRAPH_PAGE_SIZE: '10' },
  });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a job delivered twice at once to one worker', () => {
  it('runs once: the second delivery waits for the first; every message stored exactly once', async () => {
    const email = 'twice@contoso.example';
    stack.user(email, { email, mailbox: { messages: 120 } });
    const id = (await stack.connect(email, 'microsoft_outlook')).body.id;
    const queue = new QueueClient(stack.azurite.connectionString, 'sync-jobs');
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 300 });
    expect(receivedMessageItems).toHaveLength(1);
    const job = JSON.parse(Buffer.from(receivedMessageItems[0]!.messageText, 'base64').toString('utf8'));
    expect(job.integration_id).toBe(id);

    const lines: string[] = [];
    const delivery = (n: number) =>
      new InvocationContext({
        functionName: 'syncWorker',
        invocationId: `delivery-${n}`,
        triggerMetadata: { dequeueCount: n },
        logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')),
      });
    await simControl(stack.sim, 'DELETE', 'stats');
    const app = await useCases();
    await Promise.all([app.runSyncJob(job, delivery(1)), app.runSyncJob(job, delivery(2))]);

    expect(lines.filter((l) => l.includes('sync job finished'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('job already running in this worker'))).toHaveLength(1);
    const cutoff = mailCutoff(new Date(), 30).getTime();
    const inbox = await folderId(stack.sim, email, 'inbox');
    const truth = (await mailboxTruth(stack.sim, email)).filter(
      (m) => m.parentFolderId === inbox && Date.parse(m.receivedDateTime) >= cutoff,
    );
    const { items, pointers } = await storedRows(stack, 'EmailMessages', id);
    expect(items.length).toBe(byId(items).size);
    expect(pointers).toBe(items.length);
    expect(byId(items)).toEqual(byId(truth.map(truthMessage)));
    // One round's delta pages (10 per page), not two.
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.graph_requests).toBeLessThanOrEqual(Math.ceil(truth.length / 10) + 1);
  });
});
