import { z } from 'zod';
import { AppError } from '../../errors.js';

// The bodies of the mail write endpoints (API.md "Writes", Mail), parsed at the HTTP edge by the
// function files and documented from these schemas by the OpenAPI builder.

/** Exchange Online's limit per message: To, Cc and Bcc together. */
export const MAX_RECIPIENTS = 500;
/** Attachments up to this size (bytes, decoded) go in one POST; larger ones through an upload session. */
export const INLINE_ATTACHMENT_MAX_BYTES = 3_000_000;
/** All attachments of one send together (bytes, decoded); over it: 413 payload_too_large. */
export const MAX_ATTACHMENTS_TOTAL_BYTES = 25_000_000;
/**
 * The send endpoint's JSON body limit. Base64 of 25 MB is 33.4 MB; the rest of the body (500
 * recipients, a 1 MB body in JSON escapes) stays under 6 MB: 40 MiB in all. Every other endpoint
 * keeps 64 KiB (shared/http/input.ts), and the host's own limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT)
 * is set to this same figure.
 */
export const MAX_SEND_BODY_BYTES = 40 * 1024 * 1024;

const address = z.strictObject({
  email: z.email().max(320),
  name: z
    .string()
    .max(255)
    // eslint-disable-next-line no-control-regex -- a display name with control characters is refused
    .regex(/^[^\x00-\x1f\x7f]*$/, 'must not contain control characters')
    .optional(),
});
const recipients = z.array(address).max(MAX_RECIPIENTS);

/**
 * Standard base64 (RFC 4648 §4), padded, no line breaks: whole quads, padding only at the end.
 * One character class and a length check (a regular expression of repeated groups recurses per
 * quad and overflows the stack on a 33 MB string).
 */
const isBase64 = (s: string) => s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);

/** Decoded size of a valid base64 string, without decoding it. */
export const base64Bytes = (s: string): number => (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);

const attachment = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(255)
    // eslint-disable-next-line no-control-regex -- file names with control characters or path separators are refused
    .regex(/^[^\x00-\x1f\x7f/\\]+$/, 'must be a file name'),
  content_type: z
    .string()
    .max(255)
    .regex(/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/, 'must be a media type such as text/plain'),
  content_base64: z
    .string()
    .refine(isBase64, 'must be standard base64')
    .meta({
      description: `The file, base64. Up to ${INLINE_ATTACHMENT_MAX_BYTES} bytes a file goes inline; larger through an upload session.`,
    }),
});

/** POST /api/integrations/{id}/email-messages */
export const sendMessageSchema = z
  .strictObject({
    to: recipients.min(1),
    cc: recipients.optional(),
    bcc: recipients.optional(),
    subject: z.string().max(255).optional(),
    body: z.string().max(1_000_000).optional(),
    body_type: z.enum(['text', 'html']).optional(),
    importance: z.enum(['low', 'normal', 'high']).optional(),
    reply_to_message_id: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'A stored message (its `id`): the send is a reply in its conversation.' }),
    save_to_sent_items: z.boolean().optional(),
    attachments: z.array(attachment).max(100).optional(),
  })
  .superRefine((body, ctx) => {
    const total = body.to.length + (body.cc?.length ?? 0) + (body.bcc?.length ?? 0);
    if (total > MAX_RECIPIENTS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_RECIPIENTS} recipients in to, cc and bcc` });
  });
export type SendMessageRequest = z.infer<typeof sendMessageSchema>;

/** Over 25 MB of attachments in all: 413, before anything reaches Microsoft. */
export function checkAttachmentTotal(body: SendMessageRequest): void {
  const total = (body.attachments ?? []).reduce((n, a) => n + base64Bytes(a.content_base64), 0);
  if (total > MAX_ATTACHMENTS_TOTAL_BYTES) {
    throw new AppError(
      'payload_too_large',
      `Attachments may be at most ${MAX_ATTACHMENTS_TOTAL_BYTES} bytes in all (these are ${total}).`,
    );
  }
}

/** Mail folder ids and well-known names (Graph ids are base64url-ish). */
const folder = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9=_+-]+$/, 'must be a well-known folder name or a folder id');

/** PATCH /api/integrations/{id}/email-messages/{message_id} */
export const updateMessageSchema = z
  .strictObject({
    is_read: z.boolean().optional(),
    folder: folder.optional().meta({
      description: 'A well-known name (`inbox`, `archive`, …) or a folder id: the message moves there.',
    }),
  })
  .refine((b) => b.is_read !== undefined || b.folder !== undefined, { message: 'give is_read, folder or both' });
export type UpdateMessageRequest = z.infer<typeof updateMessageSchema>;

/** POST /api/integrations/{id}/email-messages: the 202 answer. */
export const sendResultSchema = z.strictObject({
  id: z
    .string()
    .nullable()
    .meta({ description: 'The stored Sent Items copy (once synced); null when not saved to Sent Items.' }),
  status: z.literal('sent'),
  internet_message_id: z.string().nullable(),
});
export type SendResult = z.infer<typeof sendResultSchema>;
