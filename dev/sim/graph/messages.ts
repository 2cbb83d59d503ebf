import type { GraphResponse } from '../contract.js';
import { MAIL_READ, ok, rejectOptions, requireScope, type Ctx } from './context.js';
import { GraphError, itemNotFound } from './errors.js';
import { mailView, isAfter, type MailQuery } from './mail-view.js';
import { findFolder, MESSAGE_PROPERTIES, messageJsonFor } from './message-json.js';
import { applySelect, parseMessageFilter, parseOrderBy, parseSearch, parseSelect, parseTop } from './odata.js';
import { decodeCursor, encodeCursor, firstAfter, linkOf, parseSkip } from './paging.js';
import type { GraphObject, MailFolder, MessageRecord } from './store.js';

// GET /me/messages and /me/mailFolders/{id}/messages (user-list-messages.md): $top (default 10),
// $select, $filter, $orderby (default receivedDateTime desc), $search and paging by nextLink.
// $search cannot be combined with $filter or $orderby, as in Graph.

const MAX_TOP = 1000;

export function folderOr404(ctx: Ctx, idOrName: string): MailFolder {
  const folder = findFolder(ctx.user, idOrName);
  if (!folder) throw itemNotFound();
  return folder;
}

export function listMessages(ctx: Ctx, folderIdOrName: string | null, path: string): GraphResponse {
  requireScope(ctx, MAIL_READ);
  rejectOptions(ctx, ['$expand', '$count']);
  const folder = folderIdOrName === null ? null : folderOr404(ctx, folderIdOrName);
  const q = ctx.query;
  const select = parseSelect(q.get('$select'), MESSAGE_PROPERTIES, 'message');
  const top = parseTop(q.get('$top'), 10, MAX_TOP);
  const searchText = q.get('$search');
  if (searchText !== undefined && (q.has('$filter') || q.has('$orderby'))) {
    throw new GraphError(
      400,
      'ErrorInvalidUrlQuery',
      `The query parameter '${q.has('$filter') ? '$filter' : '$orderBy'}' is not supported with '$search'.`,
    );
  }
  const query: MailQuery = {
    folderId: folder?.id ?? null,
    filter: q.has('$filter') ? parseMessageFilter(q.get('$filter') ?? '') : [],
    search: searchText !== undefined ? parseSearch(searchText) : undefined,
    orderBy: parseOrderBy(q.get('$orderby')),
  };
  const items = mailView(ctx.user.mail, query);
  let from = parseSkip(q.get('$skip'));
  const token = q.get('$skiptoken');
  if (token !== undefined) {
    const [value, id] = decodeCursor(token);
    from = firstAfter(items, (m) => isAfter(m, query.orderBy, value ?? '', String(id)));
  }
  const page = items.slice(from, from + top);
  const context = folder
    ? `users('${ctx.user.user.id}')/mailFolders('${folder.id}')/messages`
    : `users('${ctx.user.user.id}')/messages`;
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.root}/$metadata#${context}${select ? `(${select.join(',')})` : ''}`,
    value: page.map((m) => applySelect(messageJsonFor(m, ctx.prefer.immutableIds === true), select)),
  };
  const last = page[page.length - 1];
  if (last && from + top < items.length) {
    const params: Array<[string, string]> = [];
    for (const name of ['$select', '$filter', '$orderby', '$search']) {
      const v = q.get(name);
      if (v !== undefined) params.push([name, v]);
    }
    params.push(['$top', String(top)]);
    const sortKey =
      query.orderBy.property === 'subject'
        ? last.search.subject
        : query.orderBy.property === 'sentDateTime'
          ? last.fields.sentMs
          : last.fields.receivedMs;
    params.push(['$skiptoken', encodeCursor([sortKey, last.id])]);
    body['@odata.nextLink'] = linkOf(ctx.root, path, params);
  }
  return ok(ctx, body);
}

/**
 * A message by its current REST id or, under `Prefer: IdType="ImmutableId"`, by its immutable id.
 * A moved message's old REST id no longer resolves (Graph: ErrorItemNotFound).
 */
export function messageOr404(ctx: Ctx, id: string, folderIdOrName?: string): MessageRecord {
  const mail = ctx.user.mail;
  const moved = mail.restIds.get(id);
  const m = moved !== undefined ? mail.messages.get(moved) : mail.messages.get(id);
  if (!m || (m.restId !== id && ctx.prefer.immutableIds !== true)) throw itemNotFound();
  if (folderIdOrName !== undefined && folderOr404(ctx, folderIdOrName).id !== m.folderId) throw itemNotFound();
  return m;
}

export function getMessage(ctx: Ctx, id: string, folderIdOrName?: string): GraphResponse {
  requireScope(ctx, MAIL_READ);
  const m = messageOr404(ctx, id, folderIdOrName);
  const select = parseSelect(ctx.query.get('$select'), MESSAGE_PROPERTIES, 'message');
  return ok(ctx, {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/messages/$entity`,
    ...applySelect(messageJsonFor(m, ctx.prefer.immutableIds === true), select),
  });
}

function folderJson(ctx: Ctx, f: MailFolder): GraphObject {
  let total = 0;
  let unread = 0;
  for (const m of ctx.user.mail.messages.values()) {
    if (m.folderId !== f.id) continue;
    total++;
    if (!m.fields.isRead) unread++;
  }
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: `${ctx.user.user.id}-msgfolderroot`,
    childFolderCount: 0,
    unreadItemCount: unread,
    totalItemCount: total,
    isHidden: false,
  };
}

export function listFolders(ctx: Ctx): GraphResponse {
  requireScope(ctx, MAIL_READ);
  const value = [...ctx.user.mail.folders.values()].map((f) => folderJson(ctx, f));
  return ok(ctx, { '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/mailFolders`, value });
}

export function getFolder(ctx: Ctx, idOrName: string): GraphResponse {
  requireScope(ctx, MAIL_READ);
  const body = folderJson(ctx, folderOr404(ctx, idOrName));
  return ok(ctx, {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/mailFolders/$entity`,
    ...body,
  });
}
