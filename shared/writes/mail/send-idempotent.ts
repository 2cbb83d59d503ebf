import { AppError } from '../../errors.js';
import type { Caller } from '../../identity/caller.js';
import type { Integration } from '../../integrations/model.js';
import { NoAnswerError } from './graph-writer.js';
import { prepareSend, sendEmailMessage, type MailWritePorts } from './mail-writes.js';
import type { SendMessageRequest, SendResult } from './requests.js';
import { noJournal, type SendJournal } from './send-message.js';
import { runIdempotent, type IdempotencyStore, type IdempotencyTicket } from '../idempotency.js';

// A send under an Idempotency-Key (API.md "Idempotency"): the key's entry holds the draft's id
// (a note) before /send is called, so a retry after an unknown outcome — a 504, a timeout, this
// process dying — looks at that draft instead of sending again (send-message.ts).

/** The Idempotency-Key's notes as the send's journal. */
function journalOf(store: IdempotencyStore, ticket: IdempotencyTicket | undefined): SendJournal {
  if (!ticket) return noJournal;
  const draftId = ticket.notes.draftId;
  return {
    previous: draftId ? { draftId, internetMessageId: ticket.notes.internetMessageId || null } : undefined,
    record: (progress) =>
      store.note(ticket, { draftId: progress.draftId, internetMessageId: progress.internetMessageId ?? '' }),
  };
}

/**
 * Whether Microsoft certainly did nothing: the request was refused before a draft was sent, or
 * Microsoft refused it (4xx). `service_unavailable` and anything unexpected leave the outcome unknown.
 */
function classify(error: unknown): 'refused' | 'unknown' {
  if (error instanceof NoAnswerError) return 'unknown';
  if (error instanceof AppError) return error.status < 500 ? 'refused' : 'unknown';
  return 'unknown';
}

export async function sendIdempotent(
  ports: MailWritePorts & { idempotency: IdempotencyStore },
  caller: Caller,
  integration: Integration,
  readBody: () => Promise<SendMessageRequest>,
  key: string | undefined,
): Promise<{ status: number; body: SendResult; replayed: boolean }> {
  const prepared = await prepareSend(ports, integration, readBody);
  const answer = await runIdempotent(
    ports.idempotency,
    {
      userKey: caller.userKey,
      key,
      request: {
        method: 'POST',
        path: `/api/integrations/${integration.id}/email-messages`,
        body: prepared.body,
      },
    },
    async (ticket) => ({
      status: 202,
      body: await sendEmailMessage(ports, integration, prepared, journalOf(ports.idempotency, ticket)),
    }),
    classify,
  );
  return { status: answer.status, body: answer.body as SendResult, replayed: answer.replayed };
}
