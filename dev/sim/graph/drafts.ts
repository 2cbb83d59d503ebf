import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { MAIL_WRITE, ok, parseBody, requireScope, type Ctx } from './context.js';
import { badRequest, GraphError, itemNotFound } from './errors.js';
import { applyInput, checkRecipients, fieldsFromInput, messageInputSchema, stampsFor } from './mail-compose.js';
import { findFolder, messageJsonFor } from './message-json.js';
import { messageOr404 } from './messages.js';
import { addMessage, editMessage, moveMessage, removeMessage } from './mutate-mail.js';
import { admitSubmission, deliverToRecipients, MAIL_SEND } from './send-mail.js';
import type { MessageRecord } from './store.js';

// Drafts (user-post-messages.md, message-createreply.md, message-send.md): POST /me/messages
// creates a draft in Drafts (201 with the message); createReply creates one in the original's
// conversation; POST …/send (Mail.Send) answers 202 and the draft becomes the Sent Items copy:
// same immutable id, a new REST id (it moved), isDraft false. A draft carrying
// PidTagDeleteAfterSubmit leaves no copy.

const entity = (ctx: Ctx, m: MessageRecord, status: number): GraphResponse =>
  ok(
    ctx,
    {
      '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/messages/$entity`,
      ...messageJsonFor(m, ctx.prefer.immutableIds === true),
    },
    { status },
  );

function draftsFolderId(ctx: Ctx): string {
  const folder = findFolder(ctx.user, 'drafts');
  if (!folder) throw itemNotFound();
  return folder.id;
}

export function createDraft(ctx: Ctx): GraphResponse {
  requireScope(ctx, MAIL_WRITE);
  const input = parseBody(ctx, messageInputSchema);
  const fields = fieldsFromInput(ctx.user, input, ctx.nowMs, true);
  const { message, change } = addMessage(ctx.user, draftsFolderId(ctx), fields, ctx.nowMs);
  ctx.services.publish(ctx.user, [change]);
  return entity(ctx, message, 201);
}

const replySchema = z.object({ message: messageInputSchema.optional(), comment: z.string().max(100_000).optional() });

export function createReply(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, MAIL_WRITE);
  const original = messageOr404(ctx, id);
  const body = ctx.req.body === undefined ? {} : parseBody(ctx, replySchema);
  if (body.comment !== undefined && body.message?.body !== undefined) {
    throw badRequest('Specify either a comment or the body property of the message, not both.', 'ErrorInvalidRequest');
  }
  const o = original.fields;
  const quoted = `<hr><div><b>From:</b> ${o.from.name} &lt;${o.from.address}&gt;<br><b>Subject:</b> ${o.subject}</div>${o.bodyHtml}`;
  const base = fieldsFromInput(ctx.user, {}, ctx.nowMs, true);
  const draft = {
    ...base,
    subject: /^re:/i.test(o.subject) ? o.subject : `RE: ${o.subject}`,
    bodyHtml: `${body.comment ? `<div>${body.comment}</div>` : ''}${quoted}`,
    to: [o.from],
    importance: o.importance,
    ...stampsFor(ctx.user, ctx.nowMs, o.conversationId),
    replyToId: original.id,
  };
  const fields = body.message ? applyInput(ctx.user, draft, body.message, ctx.nowMs) : draft;
  const { message, change } = addMessage(ctx.user, draftsFolderId(ctx), fields, ctx.nowMs);
  ctx.services.publish(ctx.user, [change]);
  return entity(ctx, message, 201);
}

export function sendDraft(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, MAIL_SEND);
  const draft = messageOr404(ctx, id);
  if (!draft.fields.isDraft) {
    throw new GraphError(400, 'ErrorInvalidOperation', 'Only a draft message can be sent.');
  }
  const recipients = checkRecipients(draft.fields);
  admitSubmission(ctx.user, ctx.nowMs);
  const sent = { ...draft.fields, isDraft: false, receivedMs: ctx.nowMs, sentMs: ctx.nowMs };
  deliverToRecipients(ctx, sent, recipients, 'send', draft.id);
  const sentItems = findFolder(ctx.user, 'sentitems');
  if (draft.fields.deleteAfterSubmit || !sentItems) {
    ctx.services.publish(ctx.user, [removeMessage(ctx.user, draft)]);
  } else {
    const edited = editMessage(ctx.user, draft, () => sent, ctx.nowMs);
    const moved = moveMessage(ctx.user, edited.message, sentItems.id, ctx.nowMs);
    ctx.services.publish(ctx.user, moved.changes);
  }
  return ok(ctx, undefined, { status: 202 });
}
