import type { GraphResponse } from '../contract.js';
import { calendarDelta } from './calendar-delta.js';
import { getEvent, listCalendarView } from './calendar-list.js';
import { calendarJson, calendarUser } from './calendars.js';
import { CALENDAR_READ, ok, rejectOptions, requireScope, type Ctx } from './context.js';
import { accessDenied, GraphError, itemNotFound } from './errors.js';
import { parseTop } from './odata.js';
import { linkOf, parseSkip } from './paging.js';
import type { GraphObject, SimCalendar, UserDirectory, UserState } from './store.js';

// GET /me/calendars, /me/calendar, /me/calendars/{id} (user-list-calendars.md, calendar-get.md), the
// calendar-scoped calendarView, its delta and events, and GET /me/mailboxSettings
// (user-get-mailboxsettings.md). A calendar shared with the caller is listed in /me/calendars once
// accepted (owner: the other user) and read from the owner's mailbox, /users/{owner}/calendars/{id}/…,
// with Calendars.Read.Shared or Calendars.ReadWrite.Shared only.

export const SHARED_CALENDAR_READ = ['Calendars.Read.Shared', 'Calendars.ReadWrite.Shared'];
const MAILBOX_SETTINGS_READ = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];

/** A calendar-scoped request on another user's calendar, granted by an accepted share. */
export interface SharedAccess {
  owner: UserState;
  calendarId: string;
  role: 'read' | 'write';
}

/**
 * `users/{other}/calendars/{id}/…` of a calendar shared with the caller: the owner and the segments
 * rewritten to `me/…` (for the owner's data). Undefined for any other path; 403 without an accepted
 * share and a .Shared scope (what Graph answers for another mailbox's folder it may not read).
 */
export function resolveShared(
  segments: string[],
  caller: UserState,
  users: UserDirectory,
  scopes: readonly string[],
  method: string,
): { access: SharedAccess; segments: string[] } | undefined {
  if (segments[0]?.toLowerCase() !== 'users' || segments[2]?.toLowerCase() !== 'calendars') return undefined;
  const owner = users.find(segments[1] ?? '');
  const calendarId = segments[3];
  if (!owner || owner.user.id === caller.user.id || calendarId === undefined) return undefined;
  const share = caller.sharedWithMe.find((s) => s.ownerId === owner.user.id && s.calendarId === calendarId);
  const granted = new Set(scopes.map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//i, '').toLowerCase()));
  const scoped = SHARED_CALENDAR_READ.some((s) => granted.has(s.toLowerCase()));
  if (!share?.accepted || !scoped || !owner.calendars.has(calendarId)) throw accessDenied();
  // Writes on shared calendars are not simulated: the simulator reads them only.
  if (method !== 'GET') throw accessDenied();
  return { access: { owner, calendarId, role: share.role }, segments: ['me', ...segments.slice(2)] };
}

/** The calendars shared with `user` that it accepted, with their owners. */
function acceptedShares(ctx: Ctx): { owner: UserState; cal: SimCalendar; role: 'read' | 'write' }[] {
  return ctx.user.sharedWithMe.flatMap((s) => {
    const owner = ctx.services.users.find(s.ownerId);
    const cal = owner?.calendars.get(s.calendarId);
    return s.accepted && owner && cal ? [{ owner, cal, role: s.role }] : [];
  });
}

export function listCalendars(ctx: Ctx): GraphResponse {
  if (ctx.shared) throw itemNotFound();
  requireScope(ctx, CALENDAR_READ);
  rejectOptions(ctx, ['$filter', '$search', '$expand', '$orderby', '$count', '$select']);
  const top = parseTop(ctx.query.get('$top'), 10, 1000);
  const skip = parseSkip(ctx.query.get('$skip'));
  const all: GraphObject[] = [
    ...[...ctx.user.calendars.values()].map((c) => calendarJson(ctx.user, c, ctx.user)),
    ...acceptedShares(ctx).map((s) => calendarJson(s.owner, s.cal, ctx.user, s.role)),
  ];
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/calendars`,
    value: all.slice(skip, skip + top),
  };
  if (skip + top < all.length)
    body['@odata.nextLink'] = linkOf(ctx.root, '/me/calendars', [
      ['$top', String(top)],
      ['$skip', String(skip + top)],
    ]);
  return ok(ctx, body);
}

function calendarOf(ctx: Ctx, id: string): SimCalendar {
  const cal = ctx.user.calendars.get(id);
  if (!cal || (ctx.shared && ctx.shared.calendarId !== id)) throw itemNotFound();
  return cal;
}

export function getCalendar(ctx: Ctx, id: string | undefined): GraphResponse {
  requireScope(ctx, CALENDAR_READ);
  const cal = id === undefined ? [...ctx.user.calendars.values()].find((c) => c.isDefault) : calendarOf(ctx, id);
  if (!cal) throw itemNotFound();
  const viewer = ctx.shared ? ctx.caller : ctx.user;
  const context = `${ctx.root}/$metadata#users('${ctx.user.user.id}')/calendars/$entity`;
  return ok(ctx, { '@odata.context': context, ...calendarJson(ctx.user, cal, viewer, ctx.shared?.role) });
}

/** The path prefix a calendar-scoped request came in by: `/me` or `/users/{owner id}`. */
const basePath = (ctx: Ctx): string => (ctx.shared ? `/users/${ctx.user.user.id}` : '/me');

/** Runs a calendar-scoped request with that calendar's events as the user's calendar. */
function scoped<T>(ctx: Ctx, id: string, run: (scopedCtx: Ctx, cal: SimCalendar) => T): T {
  const cal = calendarOf(ctx, id);
  return run({ ...ctx, user: calendarUser(ctx.user, cal) }, cal);
}

export const calendarViewOf = (ctx: Ctx, id: string): GraphResponse =>
  scoped(ctx, id, (c) => listCalendarView(c, `${basePath(ctx)}/calendars/${encodeURIComponent(id)}/calendarView`));

export function calendarDeltaOf(ctx: Ctx, id: string): GraphResponse {
  return scoped(ctx, id, (c, cal) => {
    requireScope(c, CALENDAR_READ);
    // The knob: a calendar whose calendarView delta Graph does not serve (v1.0 documents only the
    // primary calendar's form); Graph's answer for an unsupported request is 501 notSupported.
    if (cal.refuseDelta) throw new GraphError(501, 'notSupported', 'The requested feature is not supported.');
    return calendarDelta(c, `${basePath(ctx)}/calendars/${encodeURIComponent(id)}/calendarView/delta`, cal.id);
  });
}

export const calendarEventOf = (ctx: Ctx, id: string, eventId: string): GraphResponse =>
  scoped(ctx, id, (c) => getEvent(c, eventId, true));

const hhmmss = (hhmm: string): string => `${hhmm}:00.0000000`;

export function getMailboxSettings(ctx: Ctx): GraphResponse {
  if (ctx.shared) throw itemNotFound();
  requireScope(ctx, MAILBOX_SETTINGS_READ);
  const s = ctx.user.mailboxSettings;
  const w = s.workingHours;
  return ok(ctx, {
    '@odata.context': `${ctx.root}/$metadata#users('${ctx.user.user.id}')/mailboxSettings`,
    archiveFolder: `AQMkAD${ctx.user.user.id.replace(/-/g, '')}AAAEKAAAA`,
    timeZone: s.timeZone,
    automaticRepliesSetting: {
      status: 'disabled',
      externalAudience: 'all',
      internalReplyMessage: '',
      externalReplyMessage: '',
      scheduledStartDateTime: { dateTime: '2026-01-01T00:00:00.0000000', timeZone: 'UTC' },
      scheduledEndDateTime: { dateTime: '2026-01-02T00:00:00.0000000', timeZone: 'UTC' },
    },
    language: { locale: 'en-US', displayName: 'English (United States)' },
    dateFormat: 'M/d/yyyy',
    timeFormat: 'h:mm tt',
    userPurpose: 'user',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateAndInformationToPrincipal',
    workingHours: {
      daysOfWeek: [...w.daysOfWeek],
      startTime: hhmmss(w.startTime),
      endTime: hhmmss(w.endTime),
      timeZone: { name: w.timeZone },
    },
  });
}
