import type { TransactionAction } from '@azure/data-tables';
import { contentHash } from '../../shared/graph/map-event.js';
import { mapMessage } from '../../shared/graph/map-message.js';
import { graphMessageSchema } from '../../shared/graph/schemas.js';
import { messageRowKey, pointerKey } from '../../shared/items/keys.js';
import { messageToRow } from '../../shared/items/message.js';
import type { Stack } from '../../test/support/stack.js';
import { tableClient, userKeyOf } from '../lib/app.js';
import { runTask } from '../lib/child.js';
import { mapLimit } from '../lib/stats.js';
import type { B2Output } from './b2-tasks.js';

/** Graph's message delta under a `$filter` lists at most this many messages (Graph's documented limit; the simulator enforces it). */
const MAIL_DELTA_LIMIT = 5000;

/**
 * B3's account: E events and M Inbox messages, synced by the worker (B2's task). Graph's message
 * delta stops at 5,000 messages, so for M above that the rest of the mailbox is written from the
 * simulator's ground truth with the app's own mapping: the same rows a sync would have stored.
 */
export async function queryAccount(
  stack: Stack<'child-process'>,
  email: string,
  size: { events: number; messages: number },
) {
  await stack.sim.createUser({
    email,
    calendar: { events: size.events, recurring_series: 0, all_day: 0 },
    mailbox: { messages: size.messages, folders: [] },
  });
  const calendarId = await stack.connectedId(email, 'microsoft_calendar');
  const mailId = await stack.connectedId(email, 'microsoft_outlook');
  const synced = await runTask<B2Output>('b2-ours', {
    userKey: await userKeyOf(stack.direct, calendarId),
    calendarId,
    mailId,
  });
  if (synced.value.items !== size.events + Math.min(size.messages, MAIL_DELTA_LIMIT))
    throw new Error(`the worker synced ${synced.value.items} items`);
  if (size.messages > MAIL_DELTA_LIMIT) await writeMailbox(stack, email, mailId);
  return { calendarId, mailId };
}

async function writeMailbox(stack: Stack<'child-process'>, email: string, mailId: string): Promise<void> {
  const truth = ((await stack.sim.control('GET', `users/${encodeURIComponent(email)}/mailbox`)) as { value: unknown[] })
    .value;
  const batches: TransactionAction[][] = [];
  let batch: TransactionAction[] = [];
  for (const raw of truth) {
    const record = mapMessage(mailId, 'inbox', graphMessageSchema.parse(raw));
    if (!record) continue;
    const rowKey = messageRowKey(record.receivedMs, record.id);
    batch.push(['upsert', messageToRow(mailId, rowKey, record), 'Replace']);
    batch.push([
      'upsert',
      {
        partitionKey: mailId,
        rowKey: pointerKey(record.id),
        itemRowKey: rowKey,
        hash: contentHash(record),
        round: 'bench',
        folder: 'inbox',
      },
      'Replace',
    ]);
    if (batch.length === 100) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length) batches.push(batch);
  const table = tableClient(stack.direct, 'EmailMessages');
  await mapLimit(batches, 4, (actions) => table.submitTransaction(actions));
}
