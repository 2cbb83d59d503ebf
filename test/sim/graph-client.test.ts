import { Client, GraphError as ClientGraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../dev/sim/server.js';

// Acceptance: the real Graph SDK, over real HTTPS, against the simulator (identity + Graph front
// + this Graph service): a seeded window of ~2,000 events pages completely by delta, and the
// next round carries a change and a deletion.

type Obj = Record<string, unknown>;
const EMAIL = 'sdk@contoso.com';
const DAY = 86_400_000;
let sim: Simulator;
let client: Client;

beforeAll(async () => {
  sim = await startSimulator({ seed: 71 });
  sim.createUser({
    email: EMAIL,
    calendar: { events: 4000, recurring_series: 8, all_day: 40, body_bytes: 300 },
    mailbox: { messages: 40 },
  });
  const token = await sim.graphAccessToken(EMAIL, ['User.Read', 'Calendars.Read', 'Mail.Read']);
  client = Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: `${sim.graphBaseUrl}/`,
    customHosts: new Set(['localhost']),
    defaultVersion: 'v1.0',
  });
});

afterAll(async () => {
  await sim?.close();
});

async function round(
  first: () => Promise<Obj>,
  pageSize: number,
): Promise<{ items: Obj[]; pages: number; deltaLink: string }> {
  const items: Obj[] = [];
  let res = await first();
  for (let pages = 1; ; pages++) {
    items.push(...(res.value as Obj[]));
    const deltaLink = res['@odata.deltaLink'];
    if (typeof deltaLink === 'string') return { items, pages, deltaLink };
    res = (await client
      .api(String(res['@odata.nextLink']))
      .header('Prefer', `odata.maxpagesize=${pageSize}`)
      .get()) as Obj;
  }
}

describe('Graph SDK against the simulator', () => {
  it('reads /me', async () => {
    const me = (await client.api('/me').get()) as Obj;
    expect(me).toMatchObject({ mail: EMAIL, userPrincipalName: EMAIL, id: sim.graph.findUser(EMAIL)?.id });
  });

  it('pages a 2,000-event window by delta, then sees an update, an addition and a deletion', async () => {
    const now = Date.now();
    const start = new Date(now - 30 * DAY);
    const end = new Date(now + 30 * DAY);
    const truth = sim.graph.calendarTruth(EMAIL, start, end) as Obj[];
    expect(truth.length).toBeGreaterThan(2000);

    const started = Date.now();
    const r1 = await round(
      () =>
        client
          .api('/me/calendarView/delta')
          .query({ startDateTime: start.toISOString(), endDateTime: end.toISOString() })
          .header('Prefer', 'odata.maxpagesize=100')
          .get() as Promise<Obj>,
      100,
    );
    const elapsed = Date.now() - started;
    expect(r1.pages).toBe(Math.ceil(truth.length / 100));
    expect(r1.items.map((i) => i.id).sort()).toEqual(truth.map((i) => i.id).sort());
    expect(new Set(r1.items.map((i) => i.id)).size).toBe(r1.items.length);
    expect(elapsed).toBeLessThan(15_000);

    const report = sim.graph.applyChanges(EMAIL, { calendar: { update: 2, add: 1, delete: 1 } });
    const r2 = await round(
      () => client.api(r1.deltaLink).header('Prefer', 'odata.maxpagesize=100').get() as Promise<Obj>,
      100,
    );
    expect(r2.items.filter((i) => i['@removed']).map((i) => i.id)).toEqual(report.calendar.deleted);
    const full = r2.items.filter((i) => !i['@removed']);
    expect(full.map((i) => i.id).sort()).toEqual([...report.calendar.updated, ...report.calendar.added].sort());
    expect(full.every((i) => typeof i.subject === 'string' && typeof i.changeKey === 'string')).toBe(true);
  });

  it('surfaces an expired delta token as 410 syncStateNotFound to the SDK', async () => {
    const now = Date.now();
    const query = { startDateTime: new Date(now - DAY).toISOString(), endDateTime: new Date(now + DAY).toISOString() };
    const r = await round(() => client.api('/me/calendarView/delta').query(query).get() as Promise<Obj>, 10);
    sim.graph.expireDeltaTokens();
    const failure = await client
      .api(r.deltaLink)
      .get()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(ClientGraphError);
    expect(failure).toMatchObject({ statusCode: 410, code: 'syncStateNotFound' });
  });

  it('syncs the Inbox by message delta with $select', async () => {
    const first = (await client
      .api('/me/mailFolders/inbox/messages/delta')
      .select(['subject', 'isRead'])
      .header('Prefer', 'odata.maxpagesize=15')
      .get()) as Obj;
    const r = await round(async () => first, 15);
    expect(r.pages).toBe(3);
    expect(r.items).toHaveLength(40);
    expect(Object.keys(r.items[0] ?? {}).sort()).toEqual(['@odata.etag', '@odata.type', 'id', 'isRead', 'subject']);
  });
});
