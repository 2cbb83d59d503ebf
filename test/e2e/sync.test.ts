import { TableClient } from '@azure/data-tables';
import type { ChangeReport } from '../../dev/sim/contract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { calendarTruth, folderId, mailboxTruth, simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { byId, storedRows, syncSucceeded, truthEvent, truthMessage } from '../support/truth.js';

const EMAIL = 'syncer@contoso.example';
let stack: Stack;
let token: string;
let calendarId: string;
let mailId: string;

beforeAll(async () => {
  stack = await startStack();
  stack.user(EMAIL, {
    email: EMAIL,
    calendar: { events: 1400, recurring_series: 16, all_day: 60, max_attendees: 8, body_bytes: 600 },
    mailbox: { messages: 4200, unread_share: 0.4 },
  });
  token = await stack.callerToken(EMAIL);
  calendarId = (await stack.connect(EMAIL, 'microsoft_calendar')).body.id;
  mailId = (await stack.connect(EMAIL, 'microsoft_outlook')).body.id;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const synced = (id: string, after?: string) => syncSucceeded(stack, token, id, after, 150_000);

async function expectCalendarEqualsTruth() {
  const window = calendarWindow(new Date(), 30, 30);
  const truth = await calendarTruth(stack.sim, EMAIL, window);
  const { items, pointers } = await storedRows(stack, 'CalendarEvents', calendarId);
  const expected = byId(truth.map(truthEvent));
  const actual = byId(items);
  expect(items.length).toBe(actual.size); // no duplicates
  expect(pointers).toBe(items.length);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, want] of expected) expect(actual.get(id), id).toEqual(want);
  return truth;
}

async function expectMailboxEqualsTruth() {
  const cutoff = mailCutoff(new Date(), 30).getTime();
  const inbox = await folderId(stack.sim, EMAIL, 'inbox');
  const truth = (await mailboxTruth(stack.sim, EMAIL)).filter(
    (m) => m.parentFolderId === inbox && Date.parse(m.receivedDateTime) >= cutoff,
  );
  const { items, pointers } = await storedRows(stack, 'EmailMessages', mailId);
  const expected = byId(truth.map(truthMessage));
  const actual = byId(items);
  expect(items.length).toBe(actual.size);
  expect(pointers).toBe(items.length);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, want] of expected) expect(actual.get(id), id).toEqual(want);
  return truth;
}

async function snapshot(table: string, partition: string) {
  const client = TableClient.fromConnectionString(stack.azurite.connectionString, table, {
    allowInsecureConnection: true,
  });
  const rows: string[] = [];
  for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${partition}'` } }))
    rows.push(`${row.rowKey}@${row.etag}`);
  return rows.sort();
}

describe('sync into Table Storage', () => {
  it('a first full sync stores exactly the ground truth (recurring, all-day, cancelled among them)', async () => {
    const [calendar, mail] = await Promise.all([synced(calendarId), synced(mailId)]);
    const events = await expectCalendarEqualsTruth();
    const messages = await expectMailboxEqualsTruth();
    expect(events.length).toBeGreaterThanOrEqual(1000);
    expect(messages.length).toBeGreaterThanOrEqual(2000);
    expect(events.some((e) => e.type === 'occurrence')).toBe(true);
    expect(events.some((e) => e.isAllDay)).toBe(true);
    expect(events.some((e) => e.isCancelled)).toBe(true);
    expect(calendar.last_sync.items_upserted).toBe(events.length);
    expect(mail.last_sync.items_upserted).toBe(messages.length);
  });

  it('after adds, updates, deletes and moves out of the window, one more sync makes the sets equal again', async () => {
    const storedBefore = new Set(
      (await storedRows(stack, 'CalendarEvents', calendarId)).items.map((i) => i.external_id),
    );
    const mailBefore = new Set((await storedRows(stack, 'EmailMessages', mailId)).items.map((i) => i.external_id));
    const report = (await simControl(stack.sim, 'POST', `users/${EMAIL}/changes`, {
      calendar: { add: 7, update: 9, delete: 6, move_out: 4 },
      mailbox: { add: 8, update: 5, delete: 6, mark_read: 10 },
    })) as ChangeReport;
    expect(report.calendar.deleted.length + report.calendar.moved_out.length).toBeGreaterThan(0);
    const before = new Date().toISOString();
    for (const [id, sync_type] of [
      [calendarId, 'calendar'],
      [mailId, 'email'],
    ] as const) {
      const res = await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type } });
      expect(res.status).toBe(202);
      expect(res.body.last_sync.status).toBe('queued');
    }
    const [calendar, mail] = await Promise.all([synced(calendarId, before), synced(mailId, before)]);
    await expectCalendarEqualsTruth();
    await expectMailboxEqualsTruth();
    // Every stored event that was deleted or moved out of the window was removed, and counted.
    const gone = [...report.calendar.deleted, ...report.calendar.moved_out].filter((id: string) =>
      storedBefore.has(id),
    );
    expect(gone.length).toBeGreaterThan(0);
    expect(calendar.last_sync.items_deleted).toBe(gone.length);
    expect(mail.last_sync.items_deleted).toBe(report.mailbox.deleted.filter((id: string) => mailBefore.has(id)).length);
  });

  it('a sync with nothing changed costs one Graph request per stream and writes nothing but last_sync', async () => {
    const tables = ['CalendarEvents', 'EmailMessages', 'SyncState', 'TokenCaches'];
    const before = await Promise.all(tables.flatMap((t) => [snapshot(t, calendarId), snapshot(t, mailId)]));
    await simControl(stack.sim, 'DELETE', 'stats');
    const started = new Date().toISOString();
    await stack.api('POST', `integrations/${calendarId}/sync`, { token, body: { sync_type: 'full' } });
    await stack.api('POST', `integrations/${mailId}/sync`, { token, body: { sync_type: 'full' } });
    const [calendar, mail] = await Promise.all([synced(calendarId, started), synced(mailId, started)]);
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.graph_requests).toBe(2);
    expect(Object.keys(stats.by_path).sort()).toEqual(
      ['GET /v1.0/me/calendarView/delta', 'GET /v1.0/me/mailFolders/{id}/messages/delta'].sort(),
    );
    expect(stats.identity_requests).toBe(0);
    const after = await Promise.all(tables.flatMap((t) => [snapshot(t, calendarId), snapshot(t, mailId)]));
    expect(after).toEqual(before);
    expect([
      calendar.last_sync.items_upserted,
      calendar.last_sync.items_deleted,
      mail.last_sync.items_upserted,
    ]).toEqual([0, 0, 0]);
  });

  it('asking again while a sync is queued does not queue a second one; sync types are checked', async () => {
    await simControl(stack.sim, 'DELETE', 'stats');
    const started = new Date().toISOString();
    const first = await stack.api('POST', `integrations/${mailId}/sync`, { token, body: { sync_type: 'email' } });
    const second = await stack.api('POST', `integrations/${mailId}/sync`, { token, body: { sync_type: 'email' } });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/api/integrations/${mailId}`);
    expect(['queued', 'running']).toContain(second.body.last_sync.status);
    await synced(mailId, started);
    await new Promise((r) => setTimeout(r, 1500)); // a second job, had one been queued, would have run by now
    expect((await simControl(stack.sim, 'GET', 'stats')).graph_requests).toBe(1);
    const bad = await stack.api('POST', `integrations/${calendarId}/sync`, { token, body: { sync_type: 'email' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_sync_type');
  });
});
