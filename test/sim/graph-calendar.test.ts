import { describe, expect, it } from 'vitest';
import type { GraphService, SimUser } from '../../dev/sim/contract.js';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { callerFor, json, type GraphCaller } from '../../dev/sim/graph/testing.js';

type Obj = Record<string, unknown>;
const DAY = 86_400_000;

function setup(seed = 31, calendar = { events: 300, recurring_series: 4, all_day: 10 }) {
  const clock = new Date('2025-03-10T12:00:00Z');
  const service = createGraphService({ seed, now: () => clock });
  const user = service.createUser({ email: 'cal@contoso.com', calendar });
  const start = new Date(clock.getTime() - 30 * DAY);
  const end = new Date(clock.getTime() + 30 * DAY);
  return {
    service,
    user,
    call: callerFor(service, user),
    start,
    end,
    initial: `/me/calendarView/delta?startDateTime=${start.toISOString()}&endDateTime=${end.toISOString()}`,
  };
}

interface Round {
  items: Obj[];
  pages: number;
  deltaLink: string;
}

async function round(call: GraphCaller, url: string, pageSize?: number, between?: () => void): Promise<Round> {
  const items: Obj[] = [];
  let next: string | undefined = url;
  let pages = 0;
  const headers: Record<string, string> = pageSize ? { Prefer: `odata.maxpagesize=${pageSize}` } : {};
  for (;;) {
    const res = await call('GET', next, { headers });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = json(res);
    pages++;
    items.push(...(body.value as Obj[]));
    if (body['@odata.deltaLink']) return { items, pages, deltaLink: String(body['@odata.deltaLink']) };
    next = String(body['@odata.nextLink']);
    between?.();
  }
}

const ids = (items: Obj[]): string[] => items.map((i) => String(i.id)).sort();

describe('calendarView', () => {
  it('lists what calendarTruth says, never series masters, paging by nextLink', async () => {
    const { service, call, start, end } = setup();
    const truth = service.calendarTruth('cal@contoso.com', start, end) as Obj[];
    expect(truth.length).toBeGreaterThan(150);
    const seen: Obj[] = [];
    let next: string | undefined =
      `/me/calendarView?startDateTime=${start.toISOString()}&endDateTime=${end.toISOString()}&$top=37`;
    while (next) {
      const body = json(await call('GET', next));
      seen.push(...(body.value as Obj[]));
      next = body['@odata.nextLink'] as string | undefined;
    }
    expect(seen).toEqual(truth);
    expect(seen.some((i) => i.type === 'seriesMaster')).toBe(false);
    for (const t of ['singleInstance', 'occurrence', 'exception'])
      expect(
        seen.some((i) => i.type === t),
        t,
      ).toBe(true);
    expect(seen.some((i) => i.isCancelled === true)).toBe(true);
    // Only items overlapping the window: seeded events go from -60 to +60 days.
    for (const i of seen) {
      expect(Date.parse(`${(i.end as { dateTime: string }).dateTime}Z`)).toBeGreaterThan(start.getTime());
      expect(Date.parse(`${(i.start as { dateTime: string }).dateTime}Z`)).toBeLessThan(end.getTime());
    }
    const wide = service.calendarTruth(
      'cal@contoso.com',
      new Date(start.getTime() - 40 * DAY),
      new Date(end.getTime() + 40 * DAY),
    );
    expect(wide.length).toBeGreaterThan(truth.length + 100);
  });

  it('needs a valid window and a calendar scope', async () => {
    const { service, user, call } = setup(32, { events: 5, recurring_series: 0, all_day: 0 });
    const cases: Array<[string, number, string]> = [
      ['/me/calendarView', 400, 'ErrorInvalidParameter'],
      ['/me/calendarView?startDateTime=2025-03-01&endDateTime=nope', 400, 'ErrorInvalidParameter'],
      [
        '/me/calendarView/delta?startDateTime=2025-03-05T00:00:00Z&endDateTime=2025-03-01T00:00:00Z',
        400,
        'ErrorInvalidParameter',
      ],
      [
        '/me/calendarView/delta?startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-03-05T00:00:00Z&$select=subject',
        400,
        'ErrorInvalidUrlQuery',
      ],
    ];
    for (const [url, status, code] of cases) {
      const res = await call('GET', url);
      expect(res.status, url).toBe(status);
      expect((json(res).error as Obj).code, url).toBe(code);
    }
    const mailOnly = callerFor(service, user, ['Mail.Read']);
    const denied = await mailOnly(
      'GET',
      '/me/calendarView?startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-03-05T00:00:00Z',
    );
    expect(denied.status).toBe(403);
    expect((json(denied).error as Obj).code).toBe('ErrorAccessDenied');
  });
});

describe('calendarView delta', () => {
  it('pages a round with nextLinks, ends with a deltaLink, and returns the window exactly', async () => {
    const { service, call, start, end, initial } = setup();
    const truth = service.calendarTruth('cal@contoso.com', start, end) as Obj[];
    const r = await round(call, initial, 25);
    expect(r.pages).toBe(Math.ceil(truth.length / 25));
    expect(ids(r.items)).toEqual(ids(truth));
    const first = json(await call('GET', initial));
    expect(first.value as Obj[]).toHaveLength(10);
    expect(String(first['@odata.nextLink'])).toMatch(
      /^https:\/\/localhost:8443\/v1\.0\/me\/calendarView\/delta\?\$skiptoken=[\w-]+$/,
    );
    expect(r.deltaLink).toMatch(/^https:\/\/localhost:8443\/v1\.0\/me\/calendarView\/delta\?\$deltatoken=[\w-]+$/);
  });

  it('sends occurrences as stubs and everything else in full', async () => {
    const { call, initial } = setup();
    const r = await round(call, initial, 200);
    const occurrences = r.items.filter((i) => i.type === 'occurrence');
    expect(occurrences.length).toBeGreaterThan(0);
    for (const o of occurrences)
      expect(Object.keys(o).sort()).toEqual([
        '@odata.etag',
        '@odata.type',
        'end',
        'id',
        'seriesMasterId',
        'start',
        'type',
      ]);
    for (const i of r.items.filter((x) => x.type !== 'occurrence')) expect(i).toHaveProperty('subject');
  });

  it('keeps a round stable while the calendar changes and shows the changes in the next round', async () => {
    const { service, call, start, end, initial } = setup();
    const before = ids(service.calendarTruth('cal@contoso.com', start, end) as Obj[]);
    let report: ReturnType<GraphService['applyChanges']> | undefined;
    const r1 = await round(call, initial, 50, () => {
      report ??= service.applyChanges('cal@contoso.com', { calendar: { add: 3, update: 4, delete: 2, move_out: 2 } });
    });
    expect(ids(r1.items)).toEqual(before);
    if (!report) throw new Error('no changes applied');
    const r2 = await round(call, r1.deltaLink, 5);
    const removed = r2.items.filter((i) => i['@removed']);
    const full = r2.items.filter((i) => !i['@removed']);
    expect(ids(removed)).toEqual([...report.calendar.deleted, ...report.calendar.moved_out].sort());
    for (const rm of removed)
      expect(rm).toEqual({ '@odata.type': '#microsoft.graph.event', id: rm.id, '@removed': { reason: 'deleted' } });
    expect(ids(full)).toEqual([...report.calendar.added, ...report.calendar.updated].sort());
    for (const u of full.filter((i) => report?.calendar.updated.includes(String(i.id)))) {
      expect(String(u.subject)).toMatch(/\(rev \d+\)$/);
      expect(u.lastModifiedDateTime).not.toBe(u.createdDateTime);
    }
    const r3 = await round(call, r2.deltaLink);
    expect(r3.items).toEqual([]);
  });

  it('reports an edited and a deleted occurrence in the next round', async () => {
    const { call, initial } = setup(33, { events: 0, recurring_series: 2, all_day: 0 });
    const r1 = await round(call, initial, 100);
    const occ = r1.items.filter((i) => i.type === 'occurrence');
    const [a, b] = occ;
    expect((await call('PATCH', `/me/events/${String(a?.id)}`, { body: { subject: 'Edited once' } })).status).toBe(200);
    expect((await call('DELETE', `/me/events/${String(b?.id)}`)).status).toBe(204);
    const r2 = await round(call, r1.deltaLink);
    expect(r2.items).toHaveLength(2);
    expect(r2.items.find((i) => i.id === a?.id)).toMatchObject({ type: 'exception', subject: 'Edited once' });
    expect(r2.items.find((i) => i.id === b?.id)).toMatchObject({ '@removed': { reason: 'deleted' } });
  });

  it('answers 410 syncStateNotFound with a Location to restart from once tokens expire', async () => {
    const { service, call, initial, start, end } = setup(34, { events: 30, recurring_series: 1, all_day: 1 });
    const first = json(await call('GET', initial, { headers: { Prefer: 'odata.maxpagesize=5' } }));
    const r = await round(call, initial, 100);
    service.expireDeltaTokens();
    for (const link of [r.deltaLink, String(first['@odata.nextLink'])]) {
      const gone = await call('GET', link);
      expect(gone.status).toBe(410);
      expect((json(gone).error as Obj).code).toBe('syncStateNotFound');
      const location = new URL(String(gone.headers?.Location));
      expect(location.pathname).toBe('/v1.0/me/calendarView/delta');
      expect(Date.parse(String(location.searchParams.get('startDateTime')))).toBe(start.getTime());
      expect(Date.parse(String(location.searchParams.get('endDateTime')))).toBe(end.getTime());
      const restarted = await round(call, location.toString(), 100);
      expect(ids(restarted.items)).toEqual(ids(r.items));
    }
    const garbage = await call('GET', '/me/calendarView/delta?$deltatoken=not-a-token-at-all');
    expect(garbage.status).toBe(410);
    const tampered = r.deltaLink.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await call('GET', tampered)).status).toBe(410);
  });

  it('binds tokens to their user', async () => {
    const { service, call, initial } = setup(35, { events: 10, recurring_series: 0, all_day: 0 });
    const other: SimUser = service.createUser({ email: 'other@contoso.com' });
    const r = await round(call, initial);
    const res = await callerFor(service, other)('GET', r.deltaLink);
    expect(res.status).toBe(410);
  });

  it('renders start and end in the preferred zone', async () => {
    const { call, initial } = setup(36, { events: 20, recurring_series: 0, all_day: 0 });
    const utc = (await round(call, initial, 100)).items;
    const res = await call('GET', initial, {
      headers: { Prefer: 'odata.maxpagesize=100, outlook.timezone="Tokyo Standard Time"' },
    });
    expect(res.headers?.['Preference-Applied']).toContain('odata.maxpagesize=100');
    const tokyo = json(res).value as Obj[];
    expect(tokyo.map((i) => i.id)).toEqual(utc.map((i) => i.id));
    for (const [i, t] of tokyo.entries()) {
      const u = utc[i] as Obj;
      const shift =
        Date.parse(`${(t.start as { dateTime: string }).dateTime}Z`) -
        Date.parse(`${(u.start as { dateTime: string }).dateTime}Z`);
      expect(t.start).toMatchObject({ timeZone: 'Tokyo Standard Time' });
      expect(shift).toBe(u.isAllDay ? 0 : 9 * 3_600_000);
    }
  });
});

describe('determinism', () => {
  it('produces the same data for the same seed and clock, and different data for another seed', () => {
    const make = (seed: number): GraphService => {
      const s = createGraphService({ seed, now: () => new Date('2025-03-10T12:00:00Z') });
      s.createUser({ email: 'det@contoso.com', calendar: { events: 50 }, mailbox: { messages: 40 } });
      s.applyChanges('det@contoso.com', {
        calendar: { add: 2, update: 2, delete: 1, move_out: 1 },
        mailbox: { add: 2, update: 2, delete: 2, mark_read: 2 },
      });
      return s;
    };
    const window: [Date, Date] = [new Date('2025-01-01T00:00:00Z'), new Date('2025-06-01T00:00:00Z')];
    const [a, b, c] = [make(1), make(1), make(2)];
    expect(a.listUsers()).toEqual(b.listUsers());
    expect(a.calendarTruth('det@contoso.com', ...window)).toEqual(b.calendarTruth('det@contoso.com', ...window));
    expect(a.mailboxTruth('det@contoso.com')).toEqual(b.mailboxTruth('det@contoso.com'));
    expect(a.calendarTruth('det@contoso.com', ...window)).not.toEqual(c.calendarTruth('det@contoso.com', ...window));
    expect(a.listUsers()[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
