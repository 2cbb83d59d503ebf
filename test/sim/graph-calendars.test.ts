import { describe, expect, it } from 'vitest';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { callerFor, json, type GraphCaller } from '../../dev/sim/graph/testing.js';

type Obj = Record<string, unknown>;
const DAY = 86_400_000;
const OWNER = 'owner@contoso.com';
const SHAREE = 'sharee@contoso.com';

function setup() {
  const clock = new Date('2025-03-10T12:00:00Z');
  const service = createGraphService({ seed: 7, now: () => clock });
  const owner = service.createUser({
    email: OWNER,
    calendar: { events: 30 },
    calendars: [
      { name: 'Work', events: 25, recurring_series: 2 },
      { name: 'Legacy', events: 15, refuse_delta: true },
    ],
    mailbox_settings: {
      time_zone: 'W. Europe Standard Time',
      working_hours: { days: ['monday', 'friday'], start: '09:00', end: '17:30', time_zone: 'W. Europe Standard Time' },
    },
  });
  const sharee = service.createUser({ email: SHAREE, calendar: { events: 3 } });
  const start = new Date(clock.getTime() - 30 * DAY);
  const end = new Date(clock.getTime() + 30 * DAY);
  const win = `startDateTime=${start.toISOString()}&endDateTime=${end.toISOString()}`;
  return { service, owner, sharee, start, end, win };
}

async function all(call: GraphCaller, url: string): Promise<{ items: Obj[]; deltaLink?: string }> {
  const items: Obj[] = [];
  let next: string | undefined = url;
  while (next) {
    const res = await call('GET', next, { headers: { Prefer: 'odata.maxpagesize=7' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = json(res);
    items.push(...(body.value as Obj[]));
    if (body['@odata.deltaLink']) return { items, deltaLink: String(body['@odata.deltaLink']) };
    next = body['@odata.nextLink'] as string | undefined;
  }
  return { items };
}
const ids = (items: Obj[]) => items.map((i) => String(i.id)).sort();

describe('calendars in the simulator', () => {
  it('lists every own calendar with Graph fields; each has its own events, delta and ground truth', async () => {
    const { service, owner, start, end, win } = setup();
    const call = callerFor(service, owner, ['Calendars.Read']);
    const { items: cals } = await all(call, '/me/calendars?$top=2');
    expect(cals.map((c) => c.name)).toEqual(['Calendar', 'Work', 'Legacy']);
    expect(cals.filter((c) => c.isDefaultCalendar)).toHaveLength(1);
    for (const c of cals) {
      expect(c).toMatchObject({ canEdit: true, owner: { address: OWNER } });
      expect(typeof c.hexColor).toBe('string');
    }
    const seen = new Set<string>();
    for (const cal of cals.slice(0, 2)) {
      const id = String(cal.id);
      const truth = ids(service.calendarTruth(OWNER, start, end, id) as Obj[]);
      expect(truth.length).toBeGreaterThan(0);
      const delta = await all(call, `/me/calendars/${encodeURIComponent(id)}/calendarView/delta?${win}`);
      expect(ids(delta.items)).toEqual(truth);
      expect(delta.deltaLink).toContain(`/me/calendars/${encodeURIComponent(id)}/calendarView/delta?$deltatoken=`);
      const view = await all(call, `/me/calendars/${encodeURIComponent(id)}/calendarView?${win}`);
      expect(ids(view.items)).toEqual(truth);
      for (const t of truth) {
        expect(seen.has(t)).toBe(false); // ids never repeat across calendars
        seen.add(t);
      }
    }
    // The default calendar's truth is what /me/calendarView shows.
    const defaultId = String(cals[0]?.id);
    expect(ids(service.calendarTruth(OWNER, start, end, defaultId) as Obj[])).toEqual(
      ids(service.calendarTruth(OWNER, start, end) as Obj[]),
    );
  });

  it('a calendar refusing delta answers 501 notSupported, its calendarView still works', async () => {
    const { service, owner, win } = setup();
    const call = callerFor(service, owner, ['Calendars.Read']);
    const legacy = service.listCalendars(OWNER)?.find((c) => c.name === 'Legacy');
    const res = await call('GET', `/me/calendars/${legacy?.id}/calendarView/delta?${win}`);
    expect(res.status).toBe(501);
    expect(json(res).error).toMatchObject({ code: 'notSupported' });
    expect((await all(call, `/me/calendars/${legacy?.id}/calendarView?${win}`)).items.length).toBeGreaterThan(0);
  });

  it('a delta token of one calendar is not accepted on another', async () => {
    const { service, owner, win } = setup();
    const call = callerFor(service, owner, ['Calendars.Read']);
    const [primary, work] = service.listCalendars(OWNER) ?? [];
    const { deltaLink } = await all(call, `/me/calendars/${primary?.id}/calendarView/delta?${win}`);
    const token = new URL(String(deltaLink)).searchParams.get('$deltatoken');
    const res = await call('GET', `/me/calendars/${work?.id}/calendarView/delta?$deltatoken=${token}`);
    expect(res.status).toBe(410);
  });

  it('deleted calendars are 404 and gone from the list; changes in one calendar show in its delta only', async () => {
    const { service, owner, win } = setup();
    const call = callerFor(service, owner, ['Calendars.Read']);
    const [primary, work] = service.listCalendars(OWNER) ?? [];
    const a = await all(call, `/me/calendars/${primary?.id}/calendarView/delta?${win}`);
    const b = await all(call, `/me/calendars/${work?.id}/calendarView/delta?${win}`);
    const report = service.applyCalendarChanges(OWNER, String(work?.id), { calendar: { update: 2, delete: 1 } });
    expect(report?.calendar.updated).toHaveLength(2);
    expect((await all(call, String(a.deltaLink))).items).toHaveLength(0);
    const next = await all(call, String(b.deltaLink));
    expect(ids(next.items)).toEqual([...(report?.calendar.updated ?? []), ...(report?.calendar.deleted ?? [])].sort());
    expect(service.deleteCalendar(OWNER, String(work?.id))).toBe(true);
    expect(service.deleteCalendar(OWNER, String(primary?.id))).toBe(false);
    expect((await call('GET', `/me/calendars/${work?.id}/calendarView/delta?${win}`)).status).toBe(404);
    expect(ids((await all(call, '/me/calendars')).items)).not.toContain(work?.id);
  });

  it('a shared calendar is read from the owner mailbox only when accepted and with a .Shared scope', async () => {
    const { service, sharee, start, end, win } = setup();
    const work = service.listCalendars(OWNER)?.find((c) => c.name === 'Work');
    const id = String(work?.id);
    const ownerId = String(service.findUser(OWNER)?.id);
    const path = `/users/${ownerId}/calendars/${encodeURIComponent(id)}/calendarView/delta?${win}`;
    const shared = callerFor(service, sharee, ['Calendars.Read', 'Calendars.Read.Shared']);
    const plain = callerFor(service, sharee, ['Calendars.Read']);
    // Not shared at all, then shared but not accepted: 403 either way.
    expect((await shared('GET', path)).status).toBe(403);
    service.shareCalendar(OWNER, id, { with: SHAREE, role: 'read', accepted: false });
    expect((await shared('GET', path)).status).toBe(403);
    expect(ids((await all(shared, '/me/calendars')).items)).not.toContain(id);
    service.shareCalendar(OWNER, id, { with: SHAREE, role: 'read', accepted: true });
    expect((await plain('GET', path)).status).toBe(403);
    const listed = (await all(shared, '/me/calendars')).items.find((c) => c.id === id);
    expect(listed).toMatchObject({ canEdit: false, isDefaultCalendar: false, owner: { address: OWNER } });
    const delta = await all(shared, path);
    expect(ids(delta.items)).toEqual(ids(service.calendarTruth(OWNER, start, end, id) as Obj[]));
    expect(delta.deltaLink).toContain(`/users/${ownerId}/calendars/`);
    expect((await all(shared, String(delta.deltaLink))).items).toHaveLength(0);
    // Another calendar of the owner stays closed, and so do writes and the owner's other data.
    const primary = service.listCalendars(OWNER)?.find((c) => c.is_default);
    expect((await shared('GET', `/users/${ownerId}/calendars/${primary?.id}/calendarView?${win}`)).status).toBe(403);
    expect((await shared('GET', `/users/${ownerId}/messages`)).status).toBe(403);
    const write = callerFor(service, sharee, ['Calendars.ReadWrite.Shared']);
    expect((await write('POST', `/users/${ownerId}/calendars/${id}/events`, { body: {} })).status).toBe(403);
    const role = service.listCalendars(OWNER)?.find((c) => c.id === id)?.shares;
    expect(role).toEqual([{ with: SHAREE, role: 'read', accepted: true }]);
  });

  it('GET /me/mailboxSettings: Windows zone names and working hours in Graph shape, with MailboxSettings.Read', async () => {
    const { service, owner } = setup();
    expect((await callerFor(service, owner, ['Calendars.Read'])('GET', '/me/mailboxSettings')).status).toBe(403);
    const res = await callerFor(service, owner, ['MailboxSettings.Read'])('GET', '/me/mailboxSettings');
    expect(res.status).toBe(200);
    expect(json(res)).toMatchObject({
      timeZone: 'W. Europe Standard Time',
      workingHours: {
        daysOfWeek: ['monday', 'friday'],
        startTime: '09:00:00.0000000',
        endTime: '17:30:00.0000000',
        timeZone: { name: 'W. Europe Standard Time' },
      },
    });
  });
});
