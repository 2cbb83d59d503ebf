import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { ok, parseBody, requireScope, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { findFolder } from './message-json.js';
import { checkRecipients, fieldsFromInput, messageInputSchema } from './mail-compose.js';
import { addMessage } from './mutate-mail.js';
import type { MessageFields, MessageRecord, UserState } from './store.js';

// POST /me/sendMail (user-sendmail.md): needs Mail.Send, answers 202 without a body. The message
// is saved to the sender's Sent Items (unless saveToSentItems is false) and delivered, unread,
// to the Inbox of every recipient that is a simulated user. Every submission (sendMail or the send
// of a draft, drafts.ts) is logged on the sender's mailbox: the ground truth of what was sent.

export const MAIL_SEND = ['Mail.Send', 'Mail.Send.Shared'];

/** Exchange Online's message rate limit: about 30 messages a minute per mailbox. */
export const SUBMISSIONS_PER_MINUTE = 30;
const WINDOW_MS = 60_000;

const sendMailSchema = z.object({
  message: messageInputSchema,
  saveToSentItems: z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])]).default(true),
});

export function sendMail(ctx: Ctx): GraphResponse {
  requireScope(ctx, MAIL_SEND);
  const body = parseBody(ctx, sendMailSchema);
  const me = ctx.user;
  const fields = fieldsFromInput(me, body.message, ctx.nowMs, false);
  const recipients = checkRecipients(fields);
  admitSubmission(me, ctx.nowMs);
  if (String(body.saveToSentItems).toLowerCase() === 'true') store(ctx, me, 'sentitems', fields);
  deliverToRecipients(ctx, fields, recipients, 'sendMail', null);
  return ok(ctx, undefined, { status: 202 });
}

/**
 * Counts a submission against the mailbox's rate; beyond it Graph answers 429 with Retry-After
 * (the seconds until the oldest submission of the window leaves it) and nothing is sent.
 */
export function admitSubmission(user: UserState, nowMs: number): void {
  const times = user.mail.submitTimes.filter((t) => t > nowMs - WINDOW_MS);
  if (times.length >= SUBMISSIONS_PER_MINUTE) {
    const retryAfter = Math.max(1, Math.ceil(((times[0] ?? nowMs) + WINDOW_MS - nowMs) / 1000));
    user.mail.submitTimes = times;
    throw new GraphError(
      429,
      'ErrorExceededMessageLimit',
      'The mailbox has submitted too many messages; try again later.',
      { 'Retry-After': String(retryAfter) },
    );
  }
  times.push(nowMs);
  user.mail.submitTimes = times;
}

/** Delivers a submitted message to every recipient that is a simulated user and logs the submission. */
export function deliverToRecipients(
  ctx: Ctx,
  fields: MessageFields,
  recipients: string[],
  via: 'send' | 'sendMail',
  draftId: string | null,
): void {
  const me = ctx.user;
  me.mail.submissions.push({
    via,
    internetMessageId: fields.internetMessageId,
    subject: fields.subject,
    recipients,
    attachments: (fields.attachments ?? []).map((a) => ({ name: a.name, size: a.size, sha256: a.sha256 })),
    draftId,
    atMs: ctx.nowMs,
  });
  const delivered = new Set<string>();
  // Recipients never see the Bcc line; they do get the message once, whichever lines name them.
  const copy: MessageFields = { ...fields, bcc: [], isRead: false, isDraft: false, deleteAfterSubmit: undefined };
  for (const address of recipients) {
    const target = ctx.services.users.find(address);
    if (!target || delivered.has(target.user.id)) continue;
    delivered.add(target.user.id);
    store(ctx, target, 'inbox', copy);
  }
}

function store(ctx: Ctx, owner: UserState, folderName: string, fields: MessageFields): MessageRecord | undefined {
  const folder = findFolder(owner, folderName);
  if (!folder) return undefined;
  const { message, change } = addMessage(owner, folder.id, fields, ctx.nowMs);
  ctx.services.publish(owner, [change]);
  return message;
}
