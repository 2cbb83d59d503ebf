import { z } from 'zod';
import { AppError } from '../../errors.js';
import { itemId } from '../../items/keys.js';
import type { Logger } from '../../log.js';
import { mustSucceed, refusal, retryAfterSeconds, RetryBudget, throttled } from './graph-call.js';
import { NoAnswerError, type GraphAnswer } from './graph-writer.js';
import type { MailboxSession } from './mailbox-session.js';
import { base64Bytes, INLINE_ATTACHMENT_MAX_BYTES, type SendMessageRequest, type SendResult } from './requests.js';

// POST …/email-messages: a draft (POST /me/messages, or createReply for a reply), its attachments,
// then POST /me/messages/{id}/send. Never /me/sendMail: it answers 202 with no id, so after a lost
// answer (a 504 has been seen after the mail was delivered) nothing tells whether it went out, and
// a retry sends it again. A draft has an immutable id before it is sent; after an unknown outcome
// that id says what happened: still a draft → not sent; no longer a draft (the Sent Items copy,
// same immutable id) or gone (not kept in Sent Items) → sent. This costs one request more than
// sendMail (two without attachments).

/** What a send leaves for a retry of the same Idempotency-Key before it calls /send. */
export interface SendProgress {
  draftId: string;
  internetMessageId: string | null;
}

/** Where a send records its draft before sending (the Idempotency-Key's notes), and what an earlier attempt left. */
export interface SendJournal {
  previous: SendProgress | undefined;
  record(progress: SendProgress): Promise<void>;
}

/** A journal for a send without Idempotency-Key: the draft is known only within this request. */
export const noJournal: SendJournal = { previous: undefined, record: async () => undefined };

/** Upload session chunks: a multiple of 320 KiB, under Outlook's 4 MB per PUT. */
const UPLOAD_CHUNK_BYTES = 10 * 320 * 1024;

/** PidTagDeleteAfterSubmit: the draft leaves no Sent Items copy once sent (save_to_sent_items: false). */
const DELETE_AFTER_SUBMIT = { id: 'Boolean 0x0E01', value: 'true' };

const draftSchema = z.looseObject({
  id: z.string().min(1).max(1000),
  internetMessageId: z.string().max(2000).nullish(),
});
const probeSchema = z.looseObject({ id: z.string(), isDraft: z.boolean().nullish() });
const sessionSchema = z.looseObject({ uploadUrl: z.url() });

export interface SendContext {
  session: MailboxSession;
  integrationId: string;
  /** GRAPH_BASE_URL: upload URLs must be on Graph's or Outlook's hosts (or this one, the simulator). */
  graphBaseUrl: string;
  journal: SendJournal;
  /** The stored message a reply answers: its Graph id. */
  replyToGraphId?: string;
  log: Logger;
}

const recipients = (list: SendMessageRequest['to'] | undefined) =>
  (list ?? []).map((r) => ({ emailAddress: { address: r.email, ...(r.name ? { name: r.name } : {}) } }));

function messageResource(body: SendMessageRequest, reply: boolean) {
  return {
    // A reply keeps Graph's "RE: …" unless the caller names a subject.
    ...(body.subject !== undefined || !reply ? { subject: body.subject ?? '' } : {}),
    ...(body.body !== undefined || !reply
      ? { body: { contentType: body.body_type === 'html' ? 'HTML' : 'Text', content: body.body ?? '' } }
      : {}),
    toRecipients: recipients(body.to),
    ccRecipients: recipients(body.cc),
    bccRecipients: recipients(body.bcc),
    ...(body.importance ? { importance: body.importance } : {}),
    ...(body.save_to_sent_items === false ? { singleValueExtendedProperties: [DELETE_AFTER_SUBMIT] } : {}),
  };
}

const resultOf = (ctx: SendContext, body: SendMessageRequest, progress: SendProgress): SendResult => ({
  id: body.save_to_sent_items === false ? null : itemId(ctx.integrationId, progress.draftId),
  status: 'sent',
  internet_message_id: progress.internetMessageId,
});

const unknownOutcome = () =>
  new AppError(
    'service_unavailable',
    'Microsoft did not confirm the send and it could not be checked; retry with the same Idempotency-Key ' +
      '(the retry checks the draft before sending anything again).',
  );

/** Sends the message; with an earlier attempt's draft in the journal, finds out what became of it first. */
export async function sendMessage(ctx: SendContext, body: SendMessageRequest): Promise<SendResult> {
  const budget = new RetryBudget();
  const previous = ctx.journal.previous;
  if (previous) {
    const state = await probe(ctx, budget, previous.draftId);
    if (state === 'sent') return resultOf(ctx, body, previous);
    if (state === 'unknown') throw unknownOutcome();
    ctx.log.info('send retried: the earlier attempt left its draft unsent');
    await submit(ctx, budget, previous.draftId);
    return resultOf(ctx, body, previous);
  }
  const progress = await createDraft(ctx, budget, body);
  try {
    for (const attachment of body.attachments ?? []) await attach(ctx, budget, progress.draftId, attachment);
  } catch (error) {
    await discardDraft(ctx, progress.draftId);
    throw error;
  }
  await ctx.journal.record(progress);
  await submit(ctx, budget, progress.draftId);
  return resultOf(ctx, body, progress);
}

async function createDraft(ctx: SendContext, budget: RetryBudget, body: SendMessageRequest): Promise<SendProgress> {
  const { graph } = ctx.session;
  let answer: GraphAnswer;
  try {
    answer = ctx.replyToGraphId
      ? await mustSucceed(
          graph,
          budget,
          { what: 'the reply' },
          'POST',
          `/me/messages/${encodeURIComponent(ctx.replyToGraphId)}/createReply`,
          { message: messageResource(body, true) },
        )
      : await mustSucceed(graph, budget, { what: 'the draft' }, 'POST', '/me/messages', messageResource(body, false));
  } catch (error) {
    // No answer to the draft's creation: nothing was sent (at most an unsent draft was left).
    if (error instanceof NoAnswerError) throw new AppError('service_unavailable', 'Microsoft Graph did not answer.');
    throw error;
  }
  const draft = draftSchema.safeParse(answer.body);
  if (!draft.success) throw new AppError('service_unavailable', 'Microsoft Graph answered the draft unexpectedly.');
  return { draftId: draft.data.id, internetMessageId: draft.data.internetMessageId ?? null };
}

async function attach(
  ctx: SendContext,
  budget: RetryBudget,
  draftId: string,
  file: NonNullable<SendMessageRequest['attachments']>[number],
): Promise<void> {
  const { graph } = ctx.session;
  const draft = `/me/messages/${encodeURIComponent(draftId)}/attachments`;
  const size = base64Bytes(file.content_base64);
  try {
    if (size <= INLINE_ATTACHMENT_MAX_BYTES) {
      await mustSucceed(graph, budget, { what: 'the attachment' }, 'POST', draft, {
        '@odata.type': '#microsoft.graph.fileAttachment',
        name: file.name,
        contentType: file.content_type,
        contentBytes: file.content_base64,
      });
      return;
    }
    const created = await mustSucceed(
      graph,
      budget,
      { what: 'the upload session' },
      'POST',
      `${draft}/createUploadSession`,
      {
        AttachmentItem: { attachmentType: 'file', name: file.name, size, contentType: file.content_type },
      },
    );
    const parsed = sessionSchema.safeParse(created.body);
    if (!parsed.success || !uploadUrlAllowed(parsed.data.uploadUrl, ctx.graphBaseUrl)) {
      throw new AppError('service_unavailable', 'Microsoft Graph answered the upload session unexpectedly.');
    }
    const bytes = Buffer.from(file.content_base64, 'base64');
    for (let start = 0; start < bytes.length;) {
      const end = Math.min(start + UPLOAD_CHUNK_BYTES, bytes.length) - 1;
      const answer = await ctx.session.upload(
        parsed.data.uploadUrl,
        `bytes ${start}-${end}/${bytes.length}`,
        bytes.subarray(start, end + 1),
      );
      if (answer.status === 429 || answer.status === 503) {
        const seconds = retryAfterSeconds(answer.headers);
        if (!(await budget.wait(seconds))) throw throttled(seconds);
        continue; // the same range again: the session expects it still
      }
      if (answer.status < 200 || answer.status > 299) throw refusal(answer, 'the attachment upload');
      start = end + 1;
    }
  } catch (error) {
    if (error instanceof NoAnswerError) throw new AppError('service_unavailable', 'Microsoft Graph did not answer.');
    throw error;
  }
}

const OUTLOOK_UPLOAD_HOSTS = new Set(['outlook.office.com', 'outlook.office365.com']);

/**
 * The upload URL gets the file's bytes and carries its own token: only https on Outlook's upload
 * hosts or Graph's own origin (GRAPH_BASE_URL, the simulator locally), never a host a forged answer names.
 */
export function uploadUrlAllowed(url: string, graphBaseUrl: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' || u.username || u.password) return false;
    return OUTLOOK_UPLOAD_HOSTS.has(u.hostname.toLowerCase()) || u.origin === new URL(graphBaseUrl).origin;
  } catch {
    return false;
  }
}

/**
 * POST …/send. Throttling (429: Graph did not process it) is waited out; a refusal is the
 * caller's (the draft is discarded); no answer or a 5xx is checked at once through the draft.
 */
async function submit(ctx: SendContext, budget: RetryBudget, draftId: string): Promise<void> {
  const path = `/me/messages/${encodeURIComponent(draftId)}/send`;
  for (;;) {
    let answer: GraphAnswer;
    try {
      answer = await ctx.session.graph('POST', path);
    } catch (error) {
      if (!(error instanceof NoAnswerError)) throw error;
      return settleUnknown(ctx, budget, draftId);
    }
    if (answer.status === 202 || (answer.status >= 200 && answer.status < 300)) return;
    if (answer.status === 429) {
      const seconds = retryAfterSeconds(answer.headers);
      if (await budget.wait(seconds)) continue;
      await discardDraft(ctx, draftId);
      throw throttled(seconds);
    }
    if (answer.status >= 500) return settleUnknown(ctx, budget, draftId);
    await discardDraft(ctx, draftId);
    throw refusal(answer, 'the send');
  }
}

async function settleUnknown(ctx: SendContext, budget: RetryBudget, draftId: string): Promise<void> {
  ctx.log.warn('send answered without a confirmation; checking the draft');
  const state = await probe(ctx, budget, draftId);
  if (state === 'sent') return;
  if (state === 'unknown') throw unknownOutcome();
  // Still a draft: Microsoft did not send it. Once more, and this time its answer stands.
  const answer = await ctx.session
    .graph('POST', `/me/messages/${encodeURIComponent(draftId)}/send`)
    .catch((e: unknown) => {
      if (e instanceof NoAnswerError) return undefined;
      throw e;
    });
  if (answer && answer.status >= 200 && answer.status < 300) return;
  if (answer && answer.status < 500 && answer.status !== 429) throw refusal(answer, 'the send');
  throw unknownOutcome();
}

/** What became of a draft: `draft` (not sent), `sent` (its Sent Items copy, or gone), or `unknown` (Graph did not say). */
async function probe(ctx: SendContext, budget: RetryBudget, draftId: string): Promise<'draft' | 'sent' | 'unknown'> {
  try {
    const answer = await mustSucceed(
      ctx.session.graph,
      budget,
      { what: 'the draft check', idempotent: true },
      'GET',
      `/me/messages/${encodeURIComponent(draftId)}?$select=id,isDraft,parentFolderId`,
    );
    const message = probeSchema.safeParse(answer.body);
    if (!message.success) return 'unknown';
    return message.data.isDraft === true ? 'draft' : 'sent';
  } catch (error) {
    // Gone: sent without a Sent Items copy (or deleted by the user): either way it must not be sent again.
    if (error instanceof AppError && error.code === 'not_found') return 'sent';
    if (error instanceof NoAnswerError || error instanceof AppError) return 'unknown';
    throw error;
  }
}

/** Best effort: a draft the send will not use is deleted (nothing depends on it). */
async function discardDraft(ctx: SendContext, draftId: string): Promise<void> {
  try {
    await ctx.session.graph('DELETE', `/me/messages/${encodeURIComponent(draftId)}`);
  } catch {
    ctx.log.warn('an unused draft could not be deleted');
  }
}
