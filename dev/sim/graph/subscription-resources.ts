import { CALENDAR_READ, MAIL_READ, requireScope, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { findFolder } from './message-json.js';
import { resolveMe, splitPath } from './paths.js';
import type { UserState } from './store.js';
import type { SubscriptionTarget } from './subscriptions.js';

// Which resources a subscription may watch (outlook-change-notifications-overview.md), and the read
// scope each needs: Calendars.Read for events, Mail.Read (or Mail.ReadBasic) for messages. The
// .Shared scopes do not allow subscribing (outlook-subscription-notes.md).

const EVENT_SCOPES = CALENDAR_READ.filter((s) => !s.endsWith('.Shared'));
const MESSAGE_SCOPES = MAIL_READ.filter((s) => !s.endsWith('.Shared'));

/** The id of the user's default calendar (what `me/events` and `me/calendar/events` watch). */
export function defaultCalendarId(user: UserState): string {
  const cals = [...user.calendars.values()];
  return (cals.find((c) => c.isDefault) ?? cals[0])?.id ?? '';
}

/**
 * The calendar whose events `user.calendar` holds: calendar-scoped code runs on a view of the user
 * with that calendar's events (calendars.ts `calendarUser`), so a change knows its calendar this way.
 */
export function calendarOfView(user: UserState): string {
  return [...user.calendars.values()].find((c) => c.state === user.calendar)?.id ?? defaultCalendarId(user);
}

const calendarExists = (user: UserState, id: string): boolean => user.calendars.has(id);

export const extensionDenied = (): GraphError =>
  new GraphError(
    403,
    'ExtensionError',
    'Operation: Create; Exception: [Status Code: Forbidden; ' +
      'Reason: Access is denied. Check credentials and try again.]',
  );

const invalid = (message: string): GraphError => new GraphError(400, 'InvalidRequest', message);

/** Parses `resource` into what it watches; unknown resources are a 400, missing scopes a 403. */
export function parseTarget(ctx: Ctx, resource: string): SubscriptionTarget {
  const segs = resolveMe(splitPath(resource), ctx.user, ctx.services.users);
  // Folder and calendar ids are case-sensitive; every other segment is compared case-insensitively.
  const lower = segs.map((s) => s.toLowerCase());
  const path = lower.join('/');
  if (path === 'me/events' || path === 'me/calendar/events') {
    requireScope(ctx, EVENT_SCOPES, extensionDenied);
    return { kind: 'event', calendarId: defaultCalendarId(ctx.user) };
  }
  if (lower.length === 4 && lower[0] === 'me' && lower[1] === 'calendars' && lower[3] === 'events') {
    requireScope(ctx, EVENT_SCOPES, extensionDenied);
    const id = segs[2] ?? '';
    if (!calendarExists(ctx.user, id)) throw invalid(`Resource '${resource}' does not exist.`);
    return { kind: 'event', calendarId: id };
  }
  if (path === 'me/messages') {
    requireScope(ctx, MESSAGE_SCOPES, extensionDenied);
    return { kind: 'message', folderId: null };
  }
  if (lower.length === 4 && lower[0] === 'me' && lower[1] === 'mailfolders' && lower[3] === 'messages') {
    requireScope(ctx, MESSAGE_SCOPES, extensionDenied);
    const folder = findFolder(ctx.user, segs[2] ?? '');
    if (!folder) throw invalid(`Resource '${resource}' does not exist.`);
    return { kind: 'message', folderId: folder.id };
  }
  throw invalid(`Resource '${resource}' is not supported for subscriptions.`);
}

/** Managing a subscription needs the same read scope as creating it (outlook-subscription-notes.md). */
export function requireTargetScope(ctx: Ctx, target: SubscriptionTarget): void {
  requireScope(ctx, target.kind === 'event' ? EVENT_SCOPES : MESSAGE_SCOPES);
}

export const sameTarget = (a: SubscriptionTarget, b: SubscriptionTarget): boolean =>
  a.kind === 'event' && b.kind === 'event'
    ? a.calendarId === b.calendarId
    : a.kind === 'message' && b.kind === 'message' && a.folderId === b.folderId;
