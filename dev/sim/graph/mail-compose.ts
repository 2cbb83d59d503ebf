import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GraphError } from './errors.js';
import { digest } from './ids.js';
import { htmlBody } from './seed-text.js';
import type { MessageFields, Person, SimAttachment, UserState } from './store.js';

// The message resource as a request body (POST /me/messages, sendMail's `message`, createReply's
// `message`) and what it becomes in the mailbox. Shared by drafts.ts and send-mail.ts.

/** Graph's single POST of an attachment is for files under 3 MB; larger ones go through an upload session. */
export const MAX_INLINE_ATTACHMENT_BYTES = 3 * 1024 * 1024;
/** Exchange Online's default maximum message size (attachments included). */
export const MAX_MESSAGE_BYTES = 35 * 1024 * 1024;
/** Exchange Online's recipient limit per message (To, Cc and Bcc together). */
export const MAX_RECIPIENTS = 500;

const recipient = z.object({
  emailAddress: z.object({ address: z.string().max(320), name: z.string().max(255).optional() }),
});
export type Recipient = z.infer<typeof recipient>;

export const fileAttachmentSchema = z.object({
  '@odata.type': z.literal('#microsoft.graph.fileAttachment'),
  name: z.string().min(1).max(255),
  contentType: z.string().max(255).optional(),
  contentBytes: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'contentBytes must be base64'),
  isInline: z.boolean().optional(),
});

const bodySchema = z.object({
  contentType: z
    .string()
    .regex(/^(html|text)$/i)
    .default('text'),
  content: z.string().max(4_000_000),
});

/** The writable message properties the simulator models; unknown ones are ignored, as Graph ignores most. */
export const messageInputSchema = z.object({
  subject: z.string().max(255).optional(),
  body: bodySchema.optional(),
  toRecipients: z.array(recipient).max(MAX_RECIPIENTS).optional(),
  ccRecipients: z.array(recipient).max(MAX_RECIPIENTS).optional(),
  bccRecipients: z.array(recipient).max(MAX_RECIPIENTS).optional(),
  importance: z.enum(['low', 'normal', 'high', 'Low', 'Normal', 'High']).optional(),
  attachments: z.array(fileAttachmentSchema).max(250).optional(),
  singleValueExtendedProperties: z
    .array(z.object({ id: z.string().max(200), value: z.string().max(1000) }))
    .max(50)
    .optional(),
});
export type MessageInput = z.infer<typeof messageInputSchema>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const personOf = (r: Recipient): Person => ({
  name: r.emailAddress.name ?? r.emailAddress.address,
  address: r.emailAddress.address,
});

export const bodyHtmlOf = (body: MessageInput['body']): string =>
  !body ? '' : body.contentType.toLowerCase() === 'text' ? htmlBody(body.content) : body.content;

/** PidTagDeleteAfterSubmit: a draft carrying it leaves no Sent Items copy. */
export function deleteAfterSubmitOf(input: MessageInput): boolean | undefined {
  const prop = input.singleValueExtendedProperties?.find((p) => {
    const tag = /^boolean\s+0x([0-9a-f]{1,4})$/i.exec(p.id.trim());
    return tag !== null && parseInt(tag[1] ?? '', 16) === 0x0e01;
  });
  return prop ? prop.value.toLowerCase() === 'true' : undefined;
}

/** Builds an attachment from an inline POST; over 3 MB is refused as Graph refuses it. */
export function inlineAttachment(
  user: UserState,
  a: z.infer<typeof fileAttachmentSchema>,
  nowMs: number,
): SimAttachment {
  const bytes = Buffer.from(a.contentBytes, 'base64');
  if (bytes.length > MAX_INLINE_ATTACHMENT_BYTES) {
    throw new GraphError(
      413,
      'ErrorRequestEntityTooLarge',
      'The attachment is too large for a single request; use an upload session (createUploadSession).',
    );
  }
  return attachmentOf(user, a.name, a.contentType ?? 'application/octet-stream', bytes, a.isInline ?? false, nowMs);
}

export function attachmentOf(
  user: UserState,
  name: string,
  contentType: string,
  bytes: Buffer,
  isInline: boolean,
  nowMs: number,
): SimAttachment {
  const id = `AAMkAG${digest('attachment', user.user.id, user.mail.idCounter++).toString('base64url').slice(0, 60)}=`;
  return {
    id,
    name,
    contentType,
    size: bytes.length,
    isInline,
    sha256: createHash('sha256').update(bytes).digest('base64'),
    lastModifiedMs: nowMs,
  };
}

/** Refuses a message over Exchange's size limit (attachments counted by their size). */
export function checkMessageSize(attachments: readonly SimAttachment[]): void {
  const total = attachments.reduce((n, a) => n + a.size, 0);
  if (total > MAX_MESSAGE_BYTES) {
    throw new GraphError(400, 'ErrorMessageSizeExceeded', 'The message exceeds the maximum supported size.');
  }
}

/** Refuses a submission without valid recipients or with more than Exchange allows. */
export function checkRecipients(f: MessageFields): string[] {
  const all = [...f.to, ...f.cc, ...(f.bcc ?? [])];
  if (all.length === 0 || all.some((p) => !EMAIL.test(p.address))) {
    throw new GraphError(
      400,
      'ErrorInvalidRecipients',
      "At least one recipient isn't valid. A message can't be sent without valid recipients.",
    );
  }
  if (all.length > MAX_RECIPIENTS) {
    throw new GraphError(400, 'ErrorInvalidRecipients', `A message can have at most ${MAX_RECIPIENTS} recipients.`);
  }
  return all.map((p) => p.address.toLowerCase());
}

/** A new message's identity within its conversation: a new conversation unless one is given. */
export function stampsFor(user: UserState, nowMs: number, conversationId?: string) {
  const stamp = digest('compose', user.user.id, user.mail.idCounter, nowMs).toString('base64url');
  return {
    conversationId: conversationId ?? `AAQkAG${stamp.slice(0, 40)}=`,
    internetMessageId: `<${stamp.slice(0, 24)}@${user.user.email.split('@')[1] ?? 'sim.local'}>`,
  };
}

/** The fields of a new draft (or sendMail message) from the request's message resource. */
export function fieldsFromInput(user: UserState, input: MessageInput, nowMs: number, isDraft: boolean): MessageFields {
  const sender: Person = { name: user.user.displayName, address: user.user.email };
  const attachments = (input.attachments ?? []).map((a) => inlineAttachment(user, a, nowMs));
  checkMessageSize(attachments);
  const importance = (input.importance ?? 'normal').toLowerCase() as MessageFields['importance'];
  const deleteAfterSubmit = deleteAfterSubmitOf(input);
  return {
    subject: input.subject ?? '',
    bodyHtml: bodyHtmlOf(input.body),
    from: sender,
    to: (input.toRecipients ?? []).map(personOf),
    cc: (input.ccRecipients ?? []).map(personOf),
    bcc: (input.bccRecipients ?? []).map(personOf),
    receivedMs: nowMs,
    sentMs: nowMs,
    isRead: true,
    isDraft,
    importance,
    hasAttachments: attachments.some((a) => !a.isInline),
    ...stampsFor(user, nowMs),
    categories: [],
    flagged: false,
    attachments,
    ...(deleteAfterSubmit !== undefined ? { deleteAfterSubmit } : {}),
  };
}

/** The draft's fields with the request's message properties applied over them (createReply's `message`). */
export function applyInput(user: UserState, f: MessageFields, input: MessageInput, nowMs: number): MessageFields {
  const added = (input.attachments ?? []).map((a) => inlineAttachment(user, a, nowMs));
  const attachments = [...(f.attachments ?? []), ...added];
  checkMessageSize(attachments);
  const deleteAfterSubmit = deleteAfterSubmitOf(input);
  return {
    ...f,
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.body !== undefined ? { bodyHtml: bodyHtmlOf(input.body) } : {}),
    ...(input.toRecipients !== undefined ? { to: input.toRecipients.map(personOf) } : {}),
    ...(input.ccRecipients !== undefined ? { cc: input.ccRecipients.map(personOf) } : {}),
    ...(input.bccRecipients !== undefined ? { bcc: input.bccRecipients.map(personOf) } : {}),
    ...(input.importance !== undefined
      ? { importance: input.importance.toLowerCase() as MessageFields['importance'] }
      : {}),
    ...(deleteAfterSubmit !== undefined ? { deleteAfterSubmit } : {}),
    attachments,
    hasAttachments: attachments.some((a) => !a.isInline),
  };
}
