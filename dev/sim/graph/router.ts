import type { GraphResponse } from '../contract.js';
import { batch } from './batch.js';
import { calendarDelta } from './calendar-delta.js';
import { getEvent, listCalendarView, listEvents } from './calendar-list.js';
import {
  calendarDeltaOf,
  calendarEventOf,
  calendarViewOf,
  getCalendar,
  getMailboxSettings,
  listCalendars,
} from './calendars-api.js';
import type { Ctx } from './context.js';
import { badRequest, methodNotAllowed, segmentNotFound } from './errors.js';
import { createEvent, removeEvent, updateEvent } from './events-write.js';
import { mailDelta } from './mail-delta.js';
import { getMe } from './me.js';
import { getFolder, getMessage, listFolders, listMessages } from './messages.js';
import { deleteMessage, moveMessageTo, updateMessage } from './messages-write.js';
import { addAttachment, createUploadSession, listAttachments } from './attachments.js';
import { createDraft, createReply, sendDraft } from './drafts.js';
import { sendMail } from './send-mail.js';
import { createSubscription } from './subscription-create.js';
import {
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  reauthorizeSubscription,
  renewSubscription,
} from './subscription-manage.js';

// The Graph v1.0 surface the simulator serves. Patterns are case-insensitive; `*` captures one
// segment (an id or a well-known folder name). When several patterns match, the one with more
// literal segments wins (so `messages/delta` beats `messages/{id}`).

type Handler = (ctx: Ctx, params: string[]) => GraphResponse | Promise<GraphResponse>;
interface Route {
  method: string;
  segments: string[];
  literals: number;
  handler: Handler;
}

const p = (s: string | undefined): string => s ?? '';

const TABLE: Array<[string, string, Handler]> = [
  ['GET', 'me', getMe],
  ['GET', 'me/calendarView', (c) => listCalendarView(c, '/me/calendarView')],
  ['GET', 'me/calendarView/delta', (c) => calendarDelta(c)],
  ['GET', 'me/calendar/calendarView', (c) => listCalendarView(c, '/me/calendar/calendarView')],
  ['GET', 'me/calendar/calendarView/delta', (c) => calendarDelta(c)],
  // cal-sync: the user's calendars, calendar-scoped reads (own and shared) and mailbox settings.
  ['GET', 'me/calendar', (c) => getCalendar(c, undefined)],
  ['GET', 'me/calendars', listCalendars],
  ['GET', 'me/calendars/*', (c, [id]) => getCalendar(c, p(id))],
  ['GET', 'me/calendars/*/calendarView', (c, [id]) => calendarViewOf(c, p(id))],
  ['GET', 'me/calendars/*/calendarView/delta', (c, [id]) => calendarDeltaOf(c, p(id))],
  ['GET', 'me/calendars/*/events/*', (c, [id, ev]) => calendarEventOf(c, p(id), p(ev))],
  ['GET', 'me/mailboxSettings', getMailboxSettings],
  ['GET', 'me/events', listEvents],
  ['POST', 'me/events', createEvent],
  ['GET', 'me/calendar/events', listEvents],
  ['POST', 'me/calendar/events', createEvent],
  ['GET', 'me/events/*', (c, [id]) => getEvent(c, p(id))],
  ['PATCH', 'me/events/*', (c, [id]) => updateEvent(c, p(id))],
  ['DELETE', 'me/events/*', (c, [id]) => removeEvent(c, p(id))],
  ['GET', 'me/messages', (c) => listMessages(c, null, '/me/messages')],
  ['GET', 'me/messages/*', (c, [id]) => getMessage(c, p(id))],
  ['PATCH', 'me/messages/*', (c, [id]) => updateMessage(c, p(id))],
  ['DELETE', 'me/messages/*', (c, [id]) => deleteMessage(c, p(id))],
  ['POST', 'me/messages/*/move', (c, [id]) => moveMessageTo(c, p(id))],
  ['POST', 'me/messages', createDraft],
  ['POST', 'me/messages/*/send', (c, [id]) => sendDraft(c, p(id))],
  ['POST', 'me/messages/*/createReply', (c, [id]) => createReply(c, p(id))],
  ['GET', 'me/messages/*/attachments', (c, [id]) => listAttachments(c, p(id))],
  ['POST', 'me/messages/*/attachments', (c, [id]) => addAttachment(c, p(id))],
  ['POST', 'me/messages/*/attachments/createUploadSession', (c, [id]) => createUploadSession(c, p(id))],
  ['GET', 'me/mailFolders', listFolders],
  ['GET', 'me/mailFolders/*', (c, [f]) => getFolder(c, p(f))],
  ['GET', 'me/mailFolders/*/messages', (c, [f]) => listMessages(c, p(f), `/me/mailFolders/${p(f)}/messages`)],
  ['GET', 'me/mailFolders/*/messages/delta', (c, [f]) => mailDelta(c, p(f))],
  ['GET', 'me/mailFolders/*/messages/*', (c, [f, id]) => getMessage(c, p(id), p(f))],
  ['POST', 'me/sendMail', sendMail],
  ['POST', '$batch', batch],
  ['GET', 'subscriptions', listSubscriptions],
  ['POST', 'subscriptions', createSubscription],
  ['GET', 'subscriptions/*', (c, [id]) => getSubscription(c, p(id))],
  ['PATCH', 'subscriptions/*', (c, [id]) => renewSubscription(c, p(id))],
  ['DELETE', 'subscriptions/*', (c, [id]) => deleteSubscription(c, p(id))],
  ['POST', 'subscriptions/*/reauthorize', (c, [id]) => reauthorizeSubscription(c, p(id))],
];

const ROUTES: Route[] = TABLE.map(([method, pattern, handler]) => {
  const segments = pattern.toLowerCase().split('/');
  return { method, segments, literals: segments.filter((s) => s !== '*').length, handler };
});

/** How many leading segments of `segs` the route accepts. */
function prefixMatch(route: Route, segs: readonly string[]): number {
  let n = 0;
  while (
    n < segs.length &&
    n < route.segments.length &&
    (route.segments[n] === '*' || route.segments[n] === segs[n]?.toLowerCase())
  )
    n++;
  return n;
}

export function dispatch(ctx: Ctx, method: string, segs: readonly string[]): GraphResponse | Promise<GraphResponse> {
  if (segs.length === 0) throw badRequest('Invalid request: the URL names no resource.');
  const full = ROUTES.filter((r) => r.segments.length === segs.length && prefixMatch(r, segs) === segs.length);
  if (full.length === 0) {
    const depth = Math.max(0, ...ROUTES.map((r) => prefixMatch(r, segs)));
    throw segmentNotFound(segs[depth] ?? segs[segs.length - 1] ?? '');
  }
  const best = full.filter((r) => r.method === method).sort((a, b) => b.literals - a.literals)[0];
  if (!best) throw methodNotAllowed();
  // The most specific pattern for this path must be the one serving the method: `messages/delta`
  // with PATCH is a 405, not a PATCH of a message called "delta".
  const mostSpecific = Math.max(...full.map((r) => r.literals));
  if (best.literals < mostSpecific) throw methodNotAllowed();
  const params = segs.filter((_, i) => best.segments[i] === '*');
  return best.handler(ctx, params);
}
