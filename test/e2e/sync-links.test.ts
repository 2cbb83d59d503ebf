import { TableClient } from '@azure/data-tables';
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { calendarTruth, folderId, mailboxTruth, simControl } from '../support/sim-control.js';
import { startStack, type Answer, type Stack } from '../support/stack.js';
import {
  byId,
  lastSync as lastSyncOf,
  storedRows,
  succeededAfter,
  truthEvent,
  truthMessage,
} from '../support/truth.js';

// Links in delta pages and in stored checkpoints are followed only to GRAPH_BASE_URL. "evil" is a
// listener on 127.0.0.1 that counts every connection made to it: a link to it must never be requested.

const BUDGET = 25;
let stack: Stack;
let evil: Server;
let evilConnections = 0;
let evilPort = 0;

beforeAll(async () => {
  evil = createServer((socket) => {
    evilConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilPort = (evil.address() as { port: number }).port;
  stack = await startStack({ settings: { GRAPH_PAGE_SIZE: '10', SYNC_MAX_PAGES_PER_STREAM: String(BUDGET) } });
});
afterEach(async () => {
  await simControl(stack.sim, 'DELETE', 'faults');
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => evil?.close(resolve));
});

const evilLink = (path: string) => `https://127.0.0.1:${evilPort}/v1.0${path}`;
/** The form: Graph's host and port as userinfo, the real host after `@`. */
const userinfoLink = (path: string) =>
  `https://${new URL(stack.sim.graphBaseUrl).host}@127.0.0.1:${evilPort}/v1.0${path}`;

const lastSync = (token: string, id: string, done: (body: Answer['body']) => boolean, timeoutMs?: number) =>
  lastSyncOf(stack, token, id, done, timeoutMs);

function syncState() {
  return TableClient.fromConnectionString(stack.azurite.connectionString, 'SyncState', {
    allowInsecureConnection: true,
  });
}
async function streamState(id: string, stream: string): Promise<Record<string, unknown> | undefined> {
  return syncState()
    .getEntity(id, stream)
    .then(
      (row) => row as Record<string, unknown>,
      () => undefined,
    );
}
const linksOf = (row: Record<string, unknown> | undefined) =>
  [row?.nextLink, row?.deltaLink].filter((l): l is string => typeof l === 'string');
const ownLink = (link: string) => link.startsWith(`${stack.sim.graphBaseUrl}/v1.0/`);

describe('links to other hosts are never followed', () => {
  it('a hostile nextLink (plain, or with Graph’s host as userinfo) is never requested; the job fails with its code', async () => {
    for (const [email, link] of [
      ['next-plain@contoso.example', evilLink('/me/calendarView/delta?$skiptoken=evil')],
      ['next-userinfo@contoso.example', userinfoLink('/me/calendarView/delta?$skiptoken=evil')],
    ] as const) {
      stack.user(email, { email, calendar: { events: 30 } });
      const token = await stack.callerToken(email);
      await simControl(stack.sim, 'POST', 'faults', { next_link: link });
      const from = stack.logs.length;
      const id = (await stack.connect(email, 'microsoft_calendar')).body.id;
      const failed = await lastSync(token, id, (b) => b.last_sync?.status === 'failed');
      await simControl(stack.sim, 'DELETE', 'faults');
      expect(failed.last_sync.error).toEqual({
        code: 'graph_untrusted_link',
        message: expect.stringContaining('nextLink'),
      });
      // Every delivery failed, so the poison consumer marked the integration `error` (it stays synced).
      expect(failed.status).toBe('error');
      expect(failed.status_reason).toMatchObject({ code: 'graph_untrusted_link' });
      expect(evilConnections).toBe(0);
      // Nothing of the refused page was stored, and no checkpoint names the link.
      expect((await storedRows(stack, 'CalendarEvents', id)).items).toEqual([]);
      for (const l of linksOf(await streamState(id, 'calendar'))) expect(ownLink(l), l).toBe(true);
      expect(stack.logs.slice(from).some((l) => l.includes('$skiptoken=evil'))).toBe(false);
    }
  });

  it('a hostile deltaLink ending a round is never requested nor saved; the pages before it stay, the checkpoint is Graph’s', async () => {
    const email = 'delta-hostile@contoso.example';
    stack.user(email, { email, mailbox: { messages: 80 } });
    const inbox = await folderId(stack.sim, email, 'inbox');
    const cutoff = mailCutoff(new Date(), 30).getTime();
    const truth = (await mailboxTruth(stack.sim, email)).filter(
      (m) => m.parentFolderId === inbox && Date.parse(m.receivedDateTime) >= cutoff,
    );
    expect(truth.length).toBeGreaterThan(10); // more than one page of 10
    const token = await stack.callerToken(email);
    await simControl(stack.sim, 'POST', 'faults', {
      delta_link: userinfoLink('/me/mailFolders/inbox/messages/delta?$deltatoken=evil'),
    });
    const id = (await stack.connect(email, 'microsoft_outlook')).body.id;
    const failed = await lastSync(token, id, (b) => b.last_sync?.status === 'failed');
    await simControl(stack.sim, 'DELETE', 'faults');
    expect(failed.last_sync.error.code).toBe('graph_untrusted_link');
    expect(evilConnections).toBe(0);
    const state = await streamState(id, 'mail:inbox');
    expect(state?.deltaLink).toBeUndefined();
    expect(linksOf(state).length).toBe(1);
    for (const l of linksOf(state)) expect(ownLink(l), l).toBe(true);
    expect((await storedRows(stack, 'EmailMessages', id)).items.length).toBeGreaterThanOrEqual(10);

    // Graph behaves again: the next sync resumes at the checkpoint and finishes the round.
    const started = new Date().toISOString();
    expect((await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'email' } })).status).toBe(
      202,
    );
    await lastSync(token, id, succeededAfter(started));
    expect(byId((await storedRows(stack, 'EmailMessages', id)).items)).toEqual(byId(truth.map(truthMessage)));
    expect(ownLink(String((await streamState(id, 'mail:inbox'))?.deltaLink))).toBe(true);
  });

  it('a stored checkpoint naming another host is treated as an expired token: a full round, logged, never followed', async () => {
    const email = 'stored-hostile@contoso.example';
    stack.user(email, { email, calendar: { events: 40, recurring_series: 1 } });
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_calendar')).body.id;
    await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    const saved = await streamState(id, 'calendar');
    expect(ownLink(String(saved?.deltaLink))).toBe(true);

    for (const [field, link] of [
      ['deltaLink', userinfoLink('/me/calendarView/delta?$deltatoken=stored')],
      ['nextLink', evilLink('/me/calendarView/delta?$skiptoken=stored')],
    ] as const) {
      await syncState().upsertEntity({ partitionKey: id, rowKey: 'calendar', [field]: link }, 'Merge');
      await simControl(stack.sim, 'DELETE', 'stats');
      const from = stack.logs.length;
      const started = new Date().toISOString();
      expect(
        (await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'calendar' } })).status,
      ).toBe(202);
      await lastSync(token, id, succeededAfter(started));
      expect(evilConnections).toBe(0);
      expect(
        stack.logs.slice(from).some((l) => l.includes('stored Graph link refused; full resync') && l.includes(field)),
      ).toBe(true);
      const after = await streamState(id, 'calendar');
      expect(after?.nextLink).toBeUndefined();
      expect(ownLink(String(after?.deltaLink))).toBe(true);
      expect(after?.round).not.toBe(saved?.round); // a new full round, not the old one resumed
      const stats = await simControl(stack.sim, 'GET', 'stats');
      expect(stats.by_path['GET /v1.0/me/calendarView/delta']).toBeGreaterThanOrEqual(4); // 40 events, pages of 10
    }
    const truth = await calendarTruth(stack.sim, email, calendarWindow(new Date(), 30, 30));
    expect(byId((await storedRows(stack, 'CalendarEvents', id)).items)).toEqual(byId(truth.map(truthEvent)));
  });
});

describe('the page budget', () => {
  it(`a cyclic nextLink stops after ${BUDGET} pages at a checkpoint; the next sync goes on from it`, async () => {
    const email = 'cyclic@contoso.example';
    stack.user(email, { email, calendar: { events: 30 } });
    const token = await stack.callerToken(email);
    await simControl(stack.sim, 'POST', 'faults', { cyclic_next_link: true });
    await simControl(stack.sim, 'DELETE', 'stats');
    const from = stack.logs.length;
    const id = (await stack.connect(email, 'microsoft_calendar')).body.id;
    const done = await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    await simControl(stack.sim, 'DELETE', 'faults');
    expect(done.last_sync.error).toBeNull();
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.by_path['GET /v1.0/me/calendarView/delta']).toBe(BUDGET);
    expect(stack.logs.slice(from).some((l) => l.includes('page budget used up'))).toBe(true);
    const state = await streamState(id, 'calendar');
    expect(ownLink(String(state?.nextLink))).toBe(true);
    expect(state?.deltaLink).toBeUndefined();

    const started = new Date().toISOString();
    expect(
      (await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'calendar' } })).status,
    ).toBe(202);
    await lastSync(token, id, succeededAfter(started));
    const finished = await streamState(id, 'calendar');
    expect(finished?.round).toBe(state?.round); // the same round, resumed at its checkpoint
    expect(ownLink(String(finished?.deltaLink))).toBe(true);
    const truth = await calendarTruth(stack.sim, email, calendarWindow(new Date(), 30, 30));
    expect(byId((await storedRows(stack, 'CalendarEvents', id)).items)).toEqual(byId(truth.map(truthEvent)));
  });
});

describe('event bodies', () => {
  it('the calendar sync asks Graph for text bodies (the simulator’s text, CRLF lines, is what is stored)', async () => {
    const email = 'text-bodies@contoso.example';
    stack.user(email, { email, calendar: { events: 3 } });
    const graphToken = await stack.sim.graphAccessToken(email, ['Calendars.ReadWrite']);
    const start = new Date(Date.now() + 86_400_000);
    const created = await fetch(`${stack.sim.graphBaseUrl}/v1.0/me/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 'Two paragraphs',
        body: { contentType: 'html', content: '<p>first</p><p>second &amp; last</p>' },
        start: { dateTime: start.toISOString().slice(0, 19), timeZone: 'UTC' },
        end: { dateTime: new Date(start.getTime() + 3_600_000).toISOString().slice(0, 19), timeZone: 'UTC' },
      }),
    });
    expect(created.status).toBe(201);
    const eventId = ((await created.json()) as { id: string }).id;
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_calendar')).body.id;
    await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    const client = TableClient.fromConnectionString(stack.azurite.connectionString, 'CalendarEvents', {
      allowInsecureConnection: true,
    });
    const rows: Record<string, unknown>[] = [];
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${id}'` } }))
      rows.push(row);
    const row = rows.find((r) => r.externalId === eventId);
    expect(row, JSON.stringify(rows.map((r) => Object.keys(r)))).toBeDefined();
    // The app's own converter would give "first\nsecond & last"; Graph's text rendering is stored as sent.
    expect(row!.description).toBe('first\r\nsecond & last');
  });
});
