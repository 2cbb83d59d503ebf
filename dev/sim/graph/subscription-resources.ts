import { CALENDAR_READ, MAIL_READ, requireScope, type Ctx } from './context.js';
import { GraphError } from './errors.js';
import { graphId } from './ids.js';
import { findFolder } from './message-json.js';
import { resolveMe, splitPath } from './paths.js';
import type { UserState } from './store.js';
import type { SubscriptionTarget } from './subscriptions.js';

// Which resources a subscription may watch (outlook-change-notifications-overview.md), and the read
// scope each needs: Calendars.Read for events, Mail.Read (or Mail.ReadBasic) for messages. The
// .Shared scopes do not allow subscribing (outlook-subscription-notes.md).

const EVENT_SCOPES = CALENDAR_READ.filter((s) => !s.endsWith('.Shared'));
const MESSAGE_SCOPES = MAIL_READ.filter((s) => !s.endsWith('.Shared'));

/**
 * The id of the user's default (and, until the simulator models several, only) calendar.
 * The one place that knows calendar ids for subscriptions: switch it to the calendar list when
 * the simulator has one.
 */
export function defaultCalendarId(user: UserState): string {
  return graphId('AAMkAG', 'calendar', user.user.id);
}

function calendarExists(user: UserState, id: string): boolean {
  return id === defaultCalendarId(user);
}

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
