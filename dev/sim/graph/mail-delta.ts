import type { GraphResponse } from '../contract.js';
import {
  isRemoved,
  MAIL_READ,
  ok,
  rejectOptions,
  requireScope,
  type Ctx,
  type MailEntry,
  type MailSeen,
} from './context.js';
import type { MailParams, Round } from './delta-token.js';
import { syncStateNotFound } from './delta-common.js';
import { GraphError } from './errors.js';
import { mailView } from './mail-view.js';
import { MESSAGE_PROPERTIES, messageJsonFor } from './message-json.js';
import { folderOr404 } from './messages.js';
import { applySelect, parseMessageFilter, parseSelect, queryOf, type FilterClause } from './odata.js';
import type { MessageRecord } from './store.js';

// GET /me/mailFolders/{id}/messages/delta (message-delta.md, delta-query-messages.md). Per
// folder; $select is honoured exactly (plus id and @odata.etag); the only $filter is
// `receivedDateTime ge|gt <instant>` (then at most 5,000 messages, newest first); changeType
// limits a round to created, updated or deleted items. Messages deleted or moved away come as
// `@removed` with reason "deleted". Rounds follow messages by their immutable ids, and answer with
// the ids the request asks for (`Prefer: IdType="ImmutableId"` or the default REST ids): a message
// moved to another folder is `@removed` here and created there, under the same immutable id or
// under its old and its new REST id.

const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;
const FILTERED_LIMIT = 5000;
const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;
type ChangeType = (typeof CHANGE_TYPES)[number];

interface Settings {
  select: string[] | undefined;
  filter: FilterClause[];
  changeType: ChangeType | undefined;
}

function parseSettings(q: ReadonlyMap<string, string>): Settings {
  const select = parseSelect(q.get('$select'), MESSAGE_PROPERTIES, 'message');
  let filter: FilterClause[] = [];
  const filterText = q.get('$filter');
  if (filterText !== undefined) {
    filter = parseMessageFilter(filterText);
    const only = filter[0];
    if (filter.length !== 1 || only?.property !== 'receivedDateTime' || (only.op !== 'ge' && only.op !== 'gt')) {
      throw new GraphError(
        400,
        'ErrorInvalidUrlQueryFilter',
        'Message delta only supports $filter=receivedDateTime ge|gt {value}.',
      );
    }
  }
  const ct = q.get('changetype');
  if (ct !== undefined && !CHANGE_TYPES.includes(ct as ChangeType)) {
    throw new GraphError(400, 'ErrorInvalidUrlQuery', `Invalid changeType '${ct}': use created, updated or deleted.`);
  }
  return { select, filter, changeType: ct as ChangeType | undefined };
}

function currentItems(ctx: Ctx, folderId: string, s: Settings): readonly MessageRecord[] {
  return mailView(ctx.user.mail, {
    folderId,
    filter: s.filter,
    search: undefined,
    orderBy: { property: 'receivedDateTime', descending: true },
    ...(s.filter.length > 0 ? { limit: FILTERED_LIMIT } : {}),
  });
}

const stateOf = (items: readonly MessageRecord[]): Map<string, MailSeen> =>
  new Map(items.map((m) => [m.id, { changeKey: m.changeKey, restId: m.restId }]));

function page(ctx: Ctx, round: Round<MailEntry, MailSeen>, offset: number, s: Settings): GraphResponse {
  const immutable = ctx.prefer.immutableIds === true;
  const registry = ctx.services.mailDeltas;
  const params = round.params as MailParams;
  const path = `/me/mailFolders/${params.folderId}/messages/delta`;
  const size = Math.min(ctx.prefer.maxPageSize ?? DEFAULT_PAGE, MAX_PAGE);
  const value = round.entries.slice(offset, offset + size).map((e) =>
    isRemoved(e)
      ? {
          '@odata.type': '#microsoft.graph.message',
          id: immutable ? e.removedId : (e.restId ?? e.removedId),
          '@removed': { reason: 'deleted' },
        }
      : { '@odata.type': '#microsoft.graph.message', ...applySelect(messageJsonFor(e, immutable), s.select) },
  );
  const link =
    offset + size < round.entries.length
      ? { '@odata.nextLink': `${ctx.root}${path}?$skiptoken=${registry.skipToken(round, offset + size)}` }
      : { '@odata.deltaLink': `${ctx.root}${path}?$deltatoken=${registry.deltaToken(round)}` };
  return ok(ctx, { '@odata.context': `${ctx.root}/$metadata#Collection(message)`, ...link, value }, { paged: true });
}

export function mailDelta(ctx: Ctx, folderIdOrName: string): GraphResponse {
  requireScope(ctx, MAIL_READ);
  const folder = folderOr404(ctx, folderIdOrName);
  const registry = ctx.services.mailDeltas;
  const userId = ctx.user.user.id;
  const token = ctx.query.get('$skiptoken') ?? ctx.query.get('$deltatoken');
  if (token === undefined) {
    rejectOptions(ctx, ['$orderby', '$search', '$expand', '$top', '$count']);
    const s = parseSettings(ctx.query);
    const query = [...ctx.query]
      .filter(([k]) => ['$select', '$filter', 'changetype'].includes(k))
      .map(([k, v]) => `${k === 'changetype' ? 'changeType' : k}=${encodeURIComponent(v)}`)
      .join('&');
    const items = currentItems(ctx, folder.id, s);
    const entries = s.changeType === undefined || s.changeType === 'created' ? items : [];
    return page(
      ctx,
      registry.startRound(userId, { kind: 'mail', folderId: folder.id, query }, entries, stateOf(items)),
      0,
      s,
    );
  }
  const found = registry.resolve(token, userId);
  if (!found.ok || found.round.params.kind !== 'mail' || found.round.params.folderId !== folder.id) {
    const p = found.ok ? found.round.params : found.params;
    const restart = p?.kind === 'mail' ? p : { kind: 'mail' as const, folderId: folder.id, query: '' };
    throw syncStateNotFound(
      `${ctx.root}/me/mailFolders/${restart.folderId}/messages/delta${restart.query ? `?${restart.query}` : ''}`,
    );
  }
  const params = found.round.params;
  const s = parseSettings(queryOf(new URLSearchParams(params.query)));
  if (!found.isDelta) return page(ctx, found.round, found.offset, s);
  const items = currentItems(ctx, folder.id, s);
  const baseline = found.round.baseline;
  const entries: MailEntry[] = [];
  if (s.changeType !== 'deleted') {
    for (const m of items) {
      const before = baseline.get(m.id);
      const kind = before === undefined ? 'created' : before.changeKey !== m.changeKey ? 'updated' : undefined;
      if (kind && (s.changeType === undefined || s.changeType === kind)) entries.push(m);
    }
  }
  const state = stateOf(items);
  if (s.changeType === undefined || s.changeType === 'deleted') {
    for (const [id, seen] of baseline) if (!state.has(id)) entries.push({ removedId: id, restId: seen.restId });
  }
  return page(ctx, registry.startRound(userId, params, entries, state), 0, s);
}
