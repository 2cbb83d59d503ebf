import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { ok, parseBody, requireScope, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { digest } from './ids.js';
import { findFolder } from './message-json.js';
import { addMessage } from './mutate-mail.js';
import type { ChangeRecord } from './notify.js';
import { htmlBody } from './seed-text.js';
import type { MessageFields, Person, UserState } from './store.js';

// POST /me/sendMail (user-sendmail.md): needs Mail.Send, answers 202 without a body. The message
// is saved to the sender's Sent Items (unless saveToSentItems is false) and delivered, unread,
// to the Inbox of every recipient that is a simulated user.

const recipient = z.object({
  emailAddress: z.object({ address: z.string().max(320), name: z.string().max(255).optional() }),
});
const sendMailSchema = z.object({
  message: z.object({
    subject: z.string().max(255).default(''),
    body: z
      .object({
        contentType: z
          .string()
          .regex(/^(html|text)$/i)
          .default('text'),
        content: z.string().max(4_000_000),
      })
      .optional(),
    toRecipients: z.array(recipient).max(500).default([]),
    ccRecipients: z.array(recipient).max(500).default([]),
    bccRecipients: z.array(recipient).max(500).default([]),
    importance: z.enum(['low', 'normal', 'high']).default('normal'),
  }),
  saveToSentItems: z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])]).default(true),
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const personOf = (r: z.infer<typeof recipient>): Person => ({
  name: r.emailAddress.name ?? r.emailAddress.address,
  address: r.emailAddress.address,
});

export function sendMail(ctx: Ctx): GraphResponse {
  requireScope(ctx, ['Mail.Send', 'Mail.Send.Shared']);
  const body = parseBody(ctx, sendMailSchema);
  const msg = body.message;
  const all = [...msg.toRecipients, ...msg.ccRecipients, ...msg.bccRecipients];
  if (all.length === 0 || all.some((r) => !EMAIL.test(r.emailAddress.address))) {
    throw new GraphError(
      400,
      'ErrorInvalidRecipients',
      "At least one recipient isn't valid. A message can't be sent without valid recipients.",
    );
  }
  const me = ctx.user;
  const sender: Person = { name: me.user.displayName, address: me.user.email };
  const stamp = digest('sendmail', me.user.id, me.mail.idCounter, ctx.nowMs).toString('base64url');
  const fields: MessageFields = {
    subject: msg.subject,
    bodyHtml: !msg.body
      ? ''
      : msg.body.contentType.toLowerCase() === 'text'
        ? htmlBody(msg.body.content)
        : msg.body.content,
    from: sender,
    to: msg.toRecipients.map(personOf),
    cc: msg.ccRecipients.map(personOf),
    receivedMs: ctx.nowMs,
    sentMs: ctx.nowMs,
    isRead: true,
    isDraft: false,
    importance: msg.importance,
    hasAttachments: false,
    conversationId: `AAQkAG${stamp.slice(0, 40)}=`,
    internetMessageId: `<${stamp.slice(0, 24)}@${me.user.email.split('@')[1] ?? 'sim.local'}>`,
    categories: [],
    flagged: false,
  };
  if (String(body.saveToSentItems).toLowerCase() === 'true') deliver(ctx, me, 'sentitems', fields);
  const delivered = new Set<string>();
  for (const r of all) {
    const target = ctx.services.users.find(r.emailAddress.address);
    if (!target || delivered.has(target.user.id)) continue;
    delivered.add(target.user.id);
    deliver(ctx, target, 'inbox', { ...fields, isRead: false });
  }
  return ok(ctx, undefined, { status: 202 });
}

function deliver(ctx: Ctx, owner: UserState, folderName: string, fields: MessageFields): void {
  const folder = findFolder(owner, folderName);
  if (!folder) return;
  const { change } = addMessage(owner, folder.id, fields, ctx.nowMs);
  const changes: ChangeRecord[] = [change];
  ctx.services.publish(owner, changes);
}
