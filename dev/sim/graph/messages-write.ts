import { z } from 'zod';
import type { GraphResponse } from '../contract.js';
import { MAIL_WRITE, ok, parseBody, requireScope, type Ctx } from './context.js';
import { itemNotFound } from './errors.js';
import { findFolder, messageJsonFor } from './message-json.js';
import { messageOr404 } from './messages.js';
import { editMessage, moveMessage, removeMessage } from './mutate-mail.js';

// PATCH and DELETE /me/messages/{id}, POST /me/messages/{id}/move (message-update.md,
// message-delete.md, message-move.md). Need Mail.ReadWrite.

const messagePatch = z.object({
  isRead: z.boolean().optional(),
  subject: z.string().max(255).optional(),
  importance: z.enum(['low', 'normal', 'high']).optional(),
  categories: z.array(z.string().max(255)).max(50).optional(),
  flag: z.object({ flagStatus: z.enum(['notFlagged', 'flagged', 'complete']) }).optional(),
});

export function updateMessage(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, MAIL_WRITE);
  const prev = messageOr404(ctx, id);
  const p = parseBody(ctx, messagePatch);
  const { message, change } = editMessage(
    ctx.user,
    prev,
    (f) => ({
      ...f,
      ...(p.isRead !== undefined ? { isRead: p.isRead } : {}),
      ...(p.subject !== undefined ? { subject: p.subject } : {}),
      ...(p.importance !== undefined ? { importance: p.importance } : {}),
      ...(p.categories !== undefined ? { categories: p.categories } : {}),
      ...(p.flag !== undefined ? { flagged: p.flag.flagStatus === 'flagged' } : {}),
    }),
    ctx.nowMs,
  );
  ctx.services.publish(ctx.user, [change]);
  return ok(ctx, {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/messages/$entity`,
    ...messageJsonFor(message, ctx.prefer.immutableIds === true),
  });
}

export function deleteMessage(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, MAIL_WRITE);
  ctx.services.publish(ctx.user, [removeMessage(ctx.user, messageOr404(ctx, id))]);
  return ok(ctx, undefined, { status: 204 });
}

export function moveMessageTo(ctx: Ctx, id: string): GraphResponse {
  requireScope(ctx, MAIL_WRITE);
  const prev = messageOr404(ctx, id);
  const { destinationId } = parseBody(ctx, z.object({ destinationId: z.string().min(1) }));
  const folder = findFolder(ctx.user, destinationId);
  if (!folder) throw itemNotFound();
  const { message, changes } = moveMessage(ctx.user, prev, folder.id, ctx.nowMs);
  ctx.services.publish(ctx.user, changes);
  const body = messageJsonFor(message, ctx.prefer.immutableIds === true);
  return ok(
    ctx,
    { '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/messages/$entity`, ...body },
    { status: 201 },
  );
}
