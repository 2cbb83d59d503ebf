import type { GraphResponse } from '../contract.js';
import { renderEvent, viewOf } from './calendar-view.js';
import { CALENDAR_READ, ok, rejectOptions, requireScope, type Ctx } from './context.js';
import { GraphError, itemNotFound } from './errors.js';
import { EVENT_PROPERTIES, preferredBodyType, withBodyTypeApplied } from './event-json.js';
import { itemOf, locateEvent } from './mutate-calendar.js';
import { applySelect, parseSelect, parseTop } from './odata.js';
import { decodeCursor, encodeCursor, firstAfter, linkOf, parseSkip } from './paging.js';
import type { UserState, ViewItem } from './store.js';
import { calendarUser } from './calendars.js';
import { instant7, parseInstant } from './time.js';

// GET /me/calendarView, /me/events and /me/events/{id} (user-list-calendarview.md, event-get.md).

const invalidParameter = (message: string): GraphError => new GraphError(400, 'ErrorInvalidParameter', message);

/** startDateTime/endDateTime are required; without an offset they are read as UTC. */
export function parseWindow(ctx: Ctx): { startMs: number; endMs: number } {
  const start = ctx.query.get('startdatetime');
  const end = ctx.query.get('enddatetime');
  if (start === undefined || end === undefined) {
    throw invalidParameter(
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  }
  const startMs = parseInstant(start);
  if (startMs === undefined) throw invalidParameter(`The value '${start}' of parameter 'StartDateTime' is invalid.`);
  const endMs = parseInstant(end);
  if (endMs === undefined) throw invalidParameter(`The value '${end}' of parameter 'EndDateTime' is invalid.`);
  if (endMs <= startMs) throw invalidParameter("The parameter 'EndDateTime' must be later than 'StartDateTime'.");
  return { startMs, endMs };
}

const MAX_PAGE = 1000;

export function listCalendarView(ctx: Ctx, path: string): GraphResponse {
  requireScope(ctx, CALENDAR_READ);
  rejectOptions(ctx, ['$filter', '$search', '$expand', '$orderby', '$count']);
  const { startMs, endMs } = parseWindow(ctx);
  const select = parseSelect(ctx.query.get('$select'), EVENT_PROPERTIES, 'event');
  const top = parseTop(ctx.query.get('$top'), Math.min(ctx.prefer.maxPageSize ?? 10, MAX_PAGE), MAX_PAGE);
  const items = viewOf(ctx.user.calendar, startMs, endMs).items;
  const token = ctx.query.get('$skiptoken');
  let from = 0;
  if (token !== undefined) {
    const [s, id] = decodeCursor(token);
    from = firstAfter(items, (i) => i.startMs > Number(s) || (i.startMs === Number(s) && i.id > String(id)));
  }
  const page = items.slice(from, from + top);
  const bodyType = preferredBodyType(ctx.req.headers.prefer);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/calendarView`,
    value: page.map((i) => applySelect(renderEvent(i, ctx.zone, 'list', bodyType), select)),
  };
  const last = page[page.length - 1];
  if (last && from + top < items.length) {
    const params: Array<[string, string]> = [
      ['startDateTime', instant7(startMs)],
      ['endDateTime', instant7(endMs)],
      ['$top', String(top)],
    ];
    if (select) params.push(['$select', select.join(',')]);
    params.push(['$skiptoken', encodeCursor([last.startMs, last.id])]);
    body['@odata.nextLink'] = linkOf(ctx.root, path, params);
  }
  return withBodyTypeApplied(ok(ctx, body, { paged: true }), bodyType);
}

/** An event of any of the user's own calendars, or (`thisCalendar`) only of the one in `ctx.user.calendar`. */
export function getEvent(ctx: Ctx, id: string, thisCalendar = false): GraphResponse {
  requireScope(ctx, CALENDAR_READ);
  const candidates = thisCalendar ? [ctx.user] : [...ctx.user.calendars.values()].map((c) => calendarUser(ctx.user, c));
  const found = candidates
    .map((user) => ({ user, loc: locateEvent(user, id) }))
    .find((c): c is { user: UserState; loc: NonNullable<typeof c.loc> } => c.loc !== undefined);
  if (!found) throw itemNotFound();
  const select = parseSelect(ctx.query.get('$select'), EVENT_PROPERTIES, 'event');
  const bodyType = preferredBodyType(ctx.req.headers.prefer);
  const body = applySelect(renderEvent(itemOf(found.user, found.loc), ctx.zone, 'entity', bodyType), select);
  const answer = ok(ctx, {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/events/$entity`,
    ...body,
  });
  return withBodyTypeApplied(answer, bodyType);
}

/** Single events and series masters (no occurrences), by start; paged with $skip as Graph does. */
export function listEvents(ctx: Ctx): GraphResponse {
  requireScope(ctx, CALENDAR_READ);
  rejectOptions(ctx, ['$filter', '$search', '$expand', '$orderby', '$count']);
  const select = parseSelect(ctx.query.get('$select'), EVENT_PROPERTIES, 'event');
  const top = parseTop(ctx.query.get('$top'), 10, MAX_PAGE);
  const skip = parseSkip(ctx.query.get('$skip'));
  const cal = ctx.user.calendar;
  const all: ViewItem[] = [...cal.singles.values(), ...[...cal.series.values()].map((s) => s.master)];
  all.sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : 1));
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/events`,
    value: all.slice(skip, skip + top).map((i) => applySelect(renderEvent(i, ctx.zone, 'list'), select)),
  };
  if (skip + top < all.length) {
    const params: Array<[string, string]> = [['$top', String(top)]];
    if (select) params.push(['$select', select.join(',')]);
    params.push(['$skip', String(skip + top)]);
    body['@odata.nextLink'] = linkOf(ctx.root, '/me/events', params);
  }
  return ok(ctx, body);
}
