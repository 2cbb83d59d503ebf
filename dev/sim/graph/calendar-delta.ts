import type { GraphResponse } from '../contract.js';
import { renderEvent, viewOf } from './calendar-view.js';
import { CALENDAR_READ, isRemoved, ok, rejectOptions, requireScope, type CalendarEntry, type Ctx } from './context.js';
import type { CalendarParams, Round } from './delta-token.js';
import { parseWindow } from './calendar-list.js';
import { syncStateNotFound } from './delta-common.js';
import { instant7 } from './time.js';
import { preferredBodyType, withBodyTypeApplied } from './event-json.js';

// GET /me/calendarView/delta (event-delta.md, delta-query-events.md). The first request fixes
// the window; pages follow @odata.nextLink ($skiptoken) and the last one carries
// @odata.deltaLink ($deltatoken). A later round returns, in full, items added or changed since
// the round's baseline, and `@removed` (reason "deleted") for items gone from the window:
// deleted, moved out, or cancelled occurrences.

const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;
const DEFAULT_PATH = '/me/calendarView/delta';

function initialUrl(root: string, path: string, p: CalendarParams | undefined): string {
  return p ? `${root}${path}?startDateTime=${instant7(p.startMs)}&endDateTime=${instant7(p.endMs)}` : `${root}${path}`;
}

/** Changes between a baseline (id → changeKey) and the window's current view. */
function diff(
  ctx: Ctx,
  params: CalendarParams,
  baseline: ReadonlyMap<string, string>,
): { entries: CalendarEntry[]; state: ReadonlyMap<string, string> } {
  const view = viewOf(ctx.user.calendar, params.startMs, params.endMs);
  const entries: CalendarEntry[] = view.items.filter((i) => baseline.get(i.id) !== i.changeKey);
  for (const id of baseline.keys()) if (!view.state.has(id)) entries.push({ removedId: id });
  return { entries, state: view.state };
}

function page(ctx: Ctx, round: Round<CalendarEntry>, offset: number, path: string): GraphResponse {
  const registry = ctx.services.calendarDeltas;
  const size = Math.min(ctx.prefer.maxPageSize ?? DEFAULT_PAGE, MAX_PAGE);
  const slice = round.entries.slice(offset, offset + size);
  const bodyType = preferredBodyType(ctx.req.headers.prefer);
  const value = slice.map((e) =>
    isRemoved(e)
      ? { '@odata.type': '#microsoft.graph.event', id: e.removedId, '@removed': { reason: 'deleted' } }
      : renderEvent(e, ctx.zone, 'delta', bodyType),
  );
  const more = offset + size < round.entries.length;
  const link = more
    ? { '@odata.nextLink': `${ctx.root}${path}?$skiptoken=${registry.skipToken(round, offset + size)}` }
    : { '@odata.deltaLink': `${ctx.root}${path}?$deltatoken=${registry.deltaToken(round)}` };
  const answer = ok(
    ctx,
    { '@odata.context': `${ctx.root}/$metadata#Collection(event)`, ...link, value },
    { paged: true },
  );
  return withBodyTypeApplied(answer, bodyType);
}

/**
 * The delta of the user's calendar in `ctx` (the default one, or the one a calendar-scoped route put
 * there); `path` is where its links point, `calendarId` binds its tokens to that calendar.
 */
export function calendarDelta(ctx: Ctx, path = DEFAULT_PATH, calendarId?: string): GraphResponse {
  requireScope(ctx, CALENDAR_READ);
  rejectOptions(ctx, ['$select', '$filter', '$orderby', '$search', '$expand', '$top', '$count']);
  const registry = ctx.services.calendarDeltas;
  const userId = ctx.user.user.id;
  const token = ctx.query.get('$skiptoken') ?? ctx.query.get('$deltatoken');
  if (token === undefined) {
    const params: CalendarParams = { kind: 'calendar', ...parseWindow(ctx), ...(calendarId ? { calendarId } : {}) };
    const view = viewOf(ctx.user.calendar, params.startMs, params.endMs);
    return page(ctx, registry.startRound(userId, params, view.items, view.state), 0, path);
  }
  const found = registry.resolve(token, userId);
  const ofThisCalendar = (p: CalendarParams) => p.calendarId === calendarId;
  if (!found.ok || found.round.params.kind !== 'calendar' || !ofThisCalendar(found.round.params)) {
    const params = found.ok ? undefined : found.params?.kind === 'calendar' ? found.params : undefined;
    throw syncStateNotFound(initialUrl(ctx.root, path, params && ofThisCalendar(params) ? params : undefined));
  }
  if (!found.isDelta) return page(ctx, found.round, found.offset, path);
  const params = found.round.params;
  const { entries, state } = diff(ctx, params, found.round.baseline);
  return page(ctx, registry.startRound(userId, params, entries, state), 0, path);
}
