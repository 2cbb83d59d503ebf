import { z } from 'zod';
import type { GraphService, SimUser } from '../contract.js';
import { extraCalendarSchema, mailboxSettingsInputSchema } from '../graph/users.js';
import { json, type SimRequest, type SimResponse } from '../http.js';
import { notFound, parseBody, parseWith } from './respond.js';
import { calendarTruthQuerySchema, changesSchema } from './schemas.js';

// The calendar controls (cal-sync): a user's calendars as ground truth, creating, changing, deleting
// and sharing them, scripted changes in one calendar, and the mailbox settings.
//   GET    /_sim/users/{email}/calendars                      → { value: SimCalendarInfo[] }
//   POST   /_sim/users/{email}/calendars                      { name, events?, refuse_delta?, … } → 201
//   PATCH  /_sim/users/{email}/calendars/{id}                 { refuse_delta?, name? }
//   DELETE /_sim/users/{email}/calendars/{id}                 → 204 (not the default calendar)
//   GET    /_sim/users/{email}/calendars/{id}/events?start&end → { value: Graph events } (its calendarView)
//   POST   /_sim/users/{email}/calendars/{id}/changes         { calendar: { add, update, delete, move_out } }
//   POST   /_sim/users/{email}/calendars/{id}/shares          { with, role: read|write, accepted }
//   PATCH  /_sim/users/{email}/mailbox-settings               { time_zone?, working_hours? }

type Handler = (req: SimRequest, params: string[]) => SimResponse | Promise<SimResponse>;

const updateSchema = z.strictObject({
  refuse_delta: z.boolean().optional(),
  name: z.string().min(1).max(256).optional(),
});
const shareSchema = z.strictObject({
  with: z.email().max(254),
  role: z.enum(['read', 'write']),
  accepted: z.boolean(),
});

export function calendarControlRoutes(
  graph: GraphService,
  user: (email: string) => SimUser,
): [string, RegExp, Handler][] {
  const calendarOf = (email: string, id: string) => {
    const found = graph.listCalendars(user(email).email)?.find((c) => c.id === id);
    if (!found) throw notFound(`Calendar ${id}`);
    return found;
  };
  const CAL = /^\/_sim\/users\/([^/]+)\/calendars\/([^/]+)$/;
  return [
    [
      'GET',
      /^\/_sim\/users\/([^/]+)\/calendars$/,
      (_req, [email = '']) => json(200, { value: graph.listCalendars(user(email).email) ?? [] }),
    ],
    [
      'POST',
      /^\/_sim\/users\/([^/]+)\/calendars$/,
      (req, [email = '']) => json(201, graph.createCalendar(user(email).email, parseBody(req, extraCalendarSchema))),
    ],
    [
      'PATCH',
      CAL,
      (req, [email = '', id = '']) => {
        calendarOf(email, id);
        return json(200, graph.updateCalendar(user(email).email, id, parseBody(req, updateSchema)));
      },
    ],
    [
      'DELETE',
      CAL,
      (_req, [email = '', id = '']) => {
        if (calendarOf(email, id).is_default) throw notFound(`A removable calendar ${id}`);
        graph.deleteCalendar(user(email).email, id);
        return { status: 204 };
      },
    ],
    [
      'GET',
      /^\/_sim\/users\/([^/]+)\/calendars\/([^/]+)\/events$/,
      (req, [email = '', id = '']) => {
        calendarOf(email, id);
        const q = parseWith(calendarTruthQuerySchema, Object.fromEntries(req.url.searchParams));
        return json(200, { value: graph.calendarTruth(user(email).email, new Date(q.start), new Date(q.end), id) });
      },
    ],
    [
      'POST',
      /^\/_sim\/users\/([^/]+)\/calendars\/([^/]+)\/changes$/,
      (req, [email = '', id = '']) => {
        calendarOf(email, id);
        return json(200, graph.applyCalendarChanges(user(email).email, id, parseBody(req, changesSchema)));
      },
    ],
    [
      'POST',
      /^\/_sim\/users\/([^/]+)\/calendars\/([^/]+)\/shares$/,
      (req, [email = '', id = '']) => {
        calendarOf(email, id);
        const input = parseBody(req, shareSchema);
        if (!graph.shareCalendar(user(email).email, id, { ...input, with: user(input.with).email }))
          throw notFound(`Another user ${input.with}`);
        return json(201, calendarOf(email, id));
      },
    ],
    [
      'PATCH',
      /^\/_sim\/users\/([^/]+)\/mailbox-settings$/,
      (req, [email = '']) => {
        graph.setMailboxSettings(user(email).email, parseBody(req, mailboxSettingsInputSchema));
        return { status: 204 };
      },
    ],
  ];
}
