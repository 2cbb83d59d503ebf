import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { syncSucceeded } from '../support/truth.js';

// The app asks Graph for immutable ids on every request, so a message moved between two synced
// folders keeps its row and its API id instead of being deleted and re-created under a new one.
const EMAIL = 'mover@contoso.example';
let stack: Stack;
let token: string;
let mailId: string;
let calendarId: string;

beforeAll(async () => {
  stack = await startStack({ settings: { SYNC_MAIL_FOLDERS: 'inbox,archive' } });
  stack.user(EMAIL, {
    email: EMAIL,
    calendar: { events: 30, recurring_series: 2, all_day: 2 },
    mailbox: { messages: 40, folders: ['archive'] },
  });
  token = await stack.callerToken(EMAIL);
  await simControl(stack.sim, 'DELETE', 'stats');
  calendarId = (await stack.connect(EMAIL, 'microsoft_calendar')).body.id;
  mailId = (await stack.connect(EMAIL, 'microsoft_outlook')).body.id;
  await Promise.all([synced(calendarId), synced(mailId)]);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const synced = (id: string, after?: string) => syncSucceeded(stack, token, id, after, 120_000);

async function syncAgain(id: string) {
  const before = (await stack.api('GET', `integrations/${id}`, { token })).body.last_sync.finished_at as string;
  expect((await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'full' } })).status).toBe(202);
  return synced(id, before);
}

/** The stored message rows (pointer rows aside): API id, Graph id and folder. */
async function storedMail(): Promise<{ id: string; externalId: string; folder: string }[]> {
  const table = TableClient.fromConnectionString(stack.azurite.connectionString, 'EmailMessages', {
    allowInsecureConnection: true,
  });
  const rows: { id: string; externalId: string; folder: string }[] = [];
  for await (const row of table.listEntities<{ id: string; externalId: string; folder: string }>({
    queryOptions: { filter: `PartitionKey eq '${mailId}'` },
  })) {
    if (!String(row.rowKey).startsWith('p|')) rows.push({ id: row.id, externalId: row.externalId, folder: row.folder });
  }
  return rows;
}

/** Moves a message as another mail client would (Outlook), with or without immutable ids. */
async function move(graphId: string, destination: string, immutable: boolean): Promise<string> {
  const graphToken = await stack.sim.graphAccessToken(EMAIL, ['Mail.ReadWrite']);
  const res = await fetch(`${stack.sim.graphBaseUrl}/v1.0/me/messages/${graphId}/move`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${graphToken}`,
      'content-type': 'application/json',
      ...(immutable ? { prefer: 'IdType="ImmutableId"' } : {}),
    },
    body: JSON.stringify({ destinationId: destination }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('immutable ids', () => {
  it('every Graph request of the connects and syncs asked for IdType="ImmutableId"', async () => {
    await Promise.all([syncAgain(calendarId), syncAgain(mailId)]);
    const { graph_requests, graph_id_types } = stack.sim.stats();
    expect(graph_requests).toBeGreaterThanOrEqual(6); // calendar and two folders, two rounds each
    expect(graph_id_types).toEqual({ immutable: graph_requests, default: 0, default_by_path: {} });
  });

  it('a message moved between two synced folders keeps its API id, whoever moved it and how', async () => {
    const before = await storedMail();
    const inbox = before.filter((m) => m.folder === 'inbox');
    const archive = before.filter((m) => m.folder === 'archive');
    expect(inbox.length).toBeGreaterThanOrEqual(3);
    expect(archive.length).toBeGreaterThanOrEqual(2);
    const toArchive = inbox.slice(0, 3);
    const toInbox = archive.slice(0, 2);
    // A client without immutable ids moves these (their Graph REST ids change) …
    for (const m of toArchive) expect(await move(m.externalId, 'archive', false)).not.toBe(m.externalId);
    // … and one with them moves those.
    for (const m of toInbox) expect(await move(m.externalId, 'inbox', true)).toBe(m.externalId);

    const mail = await syncAgain(mailId);
    const after = await storedMail();
    expect(after).toHaveLength(before.length);
    const byId = new Map(after.map((m) => [m.id, m]));
    for (const m of toArchive) expect(byId.get(m.id), m.id).toEqual({ ...m, folder: 'archive' });
    for (const m of toInbox) expect(byId.get(m.id), m.id).toEqual({ ...m, folder: 'inbox' });
    // A source folder's @removed may land before the destination lists the message: then its row is
    // written again under the same id, never more rows than messages moved.
    expect(mail.last_sync.items_deleted).toBeLessThanOrEqual(toArchive.length + toInbox.length);

    // Over the API the moved messages answer under the ids they had.
    const listed = await stack.api('GET', `integrations/email-messages?integration_id=${mailId}&limit=100`, { token });
    const ids = listed.body.results.map((m: { id: string }) => m.id);
    for (const m of [...toArchive, ...toInbox]) expect(ids).toContain(m.id);

    // And back again: still the same rows.
    for (const m of toArchive) await move(m.externalId, 'inbox', true);
    await syncAgain(mailId);
    const back = new Map((await storedMail()).map((m) => [m.id, m]));
    expect(back.size).toBe(before.length);
    for (const m of toArchive) expect(back.get(m.id)).toEqual(m);
  });
});
