import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { MAIL_READ, MAIL_WRITE, ok, parseBody, requireScope, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { attachmentOf, checkMessageSize, fileAttachmentSchema, inlineAttachment } from './mail-compose.js';
import { messageOr404 } from './messages.js';
import { editMessage } from './mutate-mail.js';
import type { MessageRecord, SimAttachment, UploadSession, UserDirectory } from './store.js';

// Attachments of a message (message-post-attachments.md, attachment-createuploadsession.md,
// outlook-large-attachments.md). Files under 3 MB: one POST with contentBytes. Larger (up to
// 150 MB): createUploadSession answers an uploadUrl on another host path that carries its own
// authtoken; the client PUTs the bytes in order, each chunk up to 4 MB with Content-Range, WITHOUT
// an Authorization header; each PUT answers nextExpectedRanges, the last one 201 with a Location.

const MAX_UPLOAD_BYTES = 150 * 1024 * 1024;
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
const SESSION_MS = 15 * 60 * 1000;

const attachmentJson = (ctx: Ctx, m: MessageRecord, a: SimAttachment) => ({
  '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/messages('${m.id}')/attachments/$entity`,
  '@odata.type': '#microsoft.graph.fileAttachment',
  id: a.id,
  lastModifiedDateTime: new Date(a.lastModifiedMs).toISOString(),
  name: a.name,
  contentType: a.contentType,
  size: a.size,
  isInline: a.isInline,
});

function attach(ctx: Ctx, m: MessageRecord, a: SimAttachment): MessageRecord {
  const attachments = [...(m.fields.attachments ?? []), a];
  checkMessageSize(attachments);
  const { message, change } = editMessage(
    ctx.user,
    m,
    (f) => ({ ...f, attachments, hasAttachments: attachments.some((x) => !x.isInline) }),
    ctx.nowMs,
  );
  ctx.services.publish(ctx.user, [change]);
  return message;
}

export function addAttachment(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, MAIL_WRITE);
  const m = messageOr404(ctx, id);
  const a = inlineAttachment(ctx.user, parseBody(ctx, fileAttachmentSchema), ctx.nowMs);
  const message = attach(ctx, m, a);
  return ok(ctx, attachmentJson(ctx, message, a), { status: 201 });
}

export function listAttachments(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, MAIL_READ);
  const m = messageOr404(ctx, id);
  return ok(ctx, {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/messages('${m.id}')/attachments`,
    value: (m.fields.attachments ?? []).map((a) => {
      const { '@odata.context': _context, ...json } = attachmentJson(ctx, m, a);
      return json;
    }),
  });
}

const sessionSchema = z.object({
  AttachmentItem: z.object({
    attachmentType: z.literal('file'),
    name: z.string().min(1).max(255),
    size: z.number().int().min(1).max(MAX_UPLOAD_BYTES),
    contentType: z.string().max(255).optional(),
    isInline: z.boolean().optional(),
  }),
});

export function createUploadSession(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, MAIL_WRITE);
  const m = messageOr404(ctx, id);
  const item = parseBody(ctx, sessionSchema).AttachmentItem;
  const session: UploadSession = {
    id: randomBytes(12).toString('base64url'),
    token: randomBytes(24).toString('base64url'),
    messageId: m.id,
    name: item.name,
    contentType: item.contentType ?? 'application/octet-stream',
    size: item.size,
    received: [],
    next: 0,
    expiresMs: ctx.nowMs + SESSION_MS,
  };
  ctx.user.mail.uploads.set(session.id, session);
  const uploadUrl =
    `${ctx.req.baseUrl}/api/v2.0/Users('${ctx.user.user.id}')/Messages('${m.id}')` +
    `/AttachmentSessions('${session.id}')?authtoken=${session.token}`;
  return ok(
    ctx,
    {
      '@odata.context': `${ctx.root}/$metadata#microsoft.graph.uploadSession`,
      uploadUrl,
      expirationDateTime: new Date(session.expiresMs).toISOString(),
      nextExpectedRanges: ['0-'],
    },
    { status: 201 },
  );
}

/** What the upload host receives: the URL as sent, the headers (lower-cased) and the raw bytes. */
export interface UploadRequest {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  body: Buffer;
  nowMs: number;
}

const uploadError = (status: number, code: string, message: string): GraphResponse => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: { error: { code, message } },
});

/** A PUT of one chunk to an upload URL (outlook.office.com's AttachmentSessions in Graph's world). */
export function uploadChunk(users: UserDirectory, req: UploadRequest): GraphResponse {
  const path = /^\/api\/v2\.0\/Users\('([^']+)'\)\/Messages\('([^']+)'\)\/AttachmentSessions\('([^']+)'\)$/i.exec(
    decodeURIComponent(req.url.pathname),
  );
  if (!path) return uploadError(404, 'ErrorInvalidUrl', 'Not an upload URL.');
  const [, userId = '', messageId = '', sessionId = ''] = path;
  const user = users.find(userId);
  const session = user?.mail.uploads.get(sessionId);
  if (!user || !session || session.messageId !== messageId || req.url.searchParams.get('authtoken') !== session.token)
    return uploadError(404, 'ErrorItemNotFound', 'The upload session was not found.');
  // The docs: do not send an Authorization header to the upload URL; it may be refused (401).
  if (req.headers.authorization)
    return uploadError(401, 'InvalidAuthenticationToken', 'The upload URL carries its own token.');
  if (req.method === 'DELETE') {
    user.mail.uploads.delete(sessionId);
    return { status: 204 };
  }
  if (req.method !== 'PUT') return uploadError(405, 'ErrorInvalidRequest', 'Use PUT.');
  if (req.nowMs > session.expiresMs) {
    user.mail.uploads.delete(sessionId);
    return uploadError(404, 'ErrorItemNotFound', 'The upload session has expired.');
  }
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers['content-range'] ?? '');
  const [start, end, total] = range ? [Number(range[1]), Number(range[2]), Number(range[3])] : [NaN, NaN, NaN];
  if (!range || total !== session.size || start !== session.next || end < start || end >= total)
    return uploadError(400, 'ErrorInvalidRange', `Expected the range starting at ${session.next}.`);
  if (end - start + 1 !== req.body.length || req.body.length > MAX_CHUNK_BYTES)
    return uploadError(400, 'ErrorInvalidRange', 'The body does not match Content-Range (at most 4 MB a chunk).');
  session.received.push(req.body);
  session.next = end + 1;
  const expiration = new Date(session.expiresMs).toISOString();
  if (session.next < session.size)
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: { expirationDateTime: expiration, nextExpectedRanges: [`${session.next}-`] },
    };
  user.mail.uploads.delete(sessionId);
  const message = user.mail.messages.get(session.messageId);
  if (!message) return uploadError(404, 'ErrorItemNotFound', 'The message was deleted.');
  const a = attachmentOf(user, session.name, session.contentType, Buffer.concat(session.received), false, req.nowMs);
  const attachments = [...(message.fields.attachments ?? []), a];
  try {
    checkMessageSize(attachments);
  } catch (error) {
    if (error instanceof GraphError) return uploadError(error.status, error.code, error.message);
    throw error;
  }
  editMessage(user, message, (f) => ({ ...f, attachments, hasAttachments: true }), req.nowMs);
  return {
    status: 201,
    headers: {
      Location: `${req.url.origin}/api/v2.0/Users('${userId}')/Messages('${messageId}')/Attachments('${a.id}')`,
    },
  };
}
