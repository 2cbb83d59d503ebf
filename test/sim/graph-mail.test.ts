import { describe, expect, it } from 'vitest';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { callerFor, json, type GraphCaller } from '../../dev/sim/graph/testing.js';

type Obj = Record<string, unknown>;

function setup(messages = 60) {
  const service = createGraphService({ seed: 41, now: () => new Date('2025-03-10T12:00:00Z') });
  const user = service.createUser({
    email: 'mail@contoso.com',
    mailbox: { messages, unread_share: 0.5, folders: ['archive', 'Projects'] },
  });
  return { service, user, call: callerFor(service, user) };
}

async function deltaRound(
  call: GraphCaller,
  url: string,
  pageSize = 10,
): Promise<{ items: Obj[]; deltaLink: string; pages: number }> {
  const items: Obj[] = [];
  let next = url;
  for (let pages = 1; ; pages++) {
    const res = await call('GET', next, { headers: { Prefer: `odata.maxpagesize=${pageSize}` } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = json(res);
    items.push(...(body.value as Obj[]));
    if (body['@odata.deltaLink']) return { items, deltaLink: String(body['@odata.deltaLink']), pages };
    next = String(body['@odata.nextLink']);
  }
}

const inboxOf = (truth: Obj[], folderId: string): Obj[] => truth.filter((m) => m.parentFolderId === folderId);

describe('mail folders and the seeded mailbox', () => {
  it('seeds the Inbox, extra folders and exactly the unread share', async () => {
    const { service, call } = setup();
    const folders = json(await call('GET', '/me/mailFolders')).value as Obj[];
    const byName = new Map(folders.map((f) => [f.displayName, f]));
    for (const name of ['Inbox', 'Sent Items', 'Archive', 'Projects']) expect(byName.has(name), name).toBe(true);
    const inbox = byName.get('Inbox') as Obj;
    expect(inbox).toMatchObject({ totalItemCount: 60, unreadItemCount: 30 });
    expect(byName.get('Projects')).toMatchObject({ totalItemCount: 6 });
    expect(json(await call('GET', '/me/mailFolders/INBOX')).id).toBe(inbox.id);
    const truth = service.mailboxTruth('mail@contoso.com') as Obj[];
    expect(truth).toHaveLength(72);
    expect(inboxOf(truth, String(inbox.id))).toHaveLength(60);
    const received = truth.map((m) => Date.parse(String(m.receivedDateTime)));
    expect(Math.min(...received)).toBeGreaterThan(Date.parse('2025-01-09T00:00:00Z'));
    expect(Math.max(...received)).toBeLessThanOrEqual(Date.parse('2025-03-10T12:00:00Z'));
    expect(new Set(truth.map((m) => m.importance)).size).toBeGreaterThan(1);
    expect(new Set(truth.map((m) => m.hasAttachments)).size).toBe(2);
  });

  it('pages a folder listing stably while messages arrive', async () => {
    const { service, call } = setup(80);
    const seen: Obj[] = [];
    let next: string | undefined = '/me/mailFolders/inbox/messages?$top=9&$select=subject,receivedDateTime';
    let injected = false;
    while (next) {
      const body = json(await call('GET', next));
      seen.push(...(body.value as Obj[]));
      next = body['@odata.nextLink'] as string | undefined;
      if (!injected) {
        // New mail lands at the top; keyset paging must neither repeat nor skip older messages.
        service.applyChanges('mail@contoso.com', { mailbox: { add: 5 } });
        injected = true;
      }
    }
    expect(seen).toHaveLength(80);
    expect(new Set(seen.map((m) => m.id)).size).toBe(80);
  });
});

describe('message delta', () => {
  it('returns the folder in pages with $select and reports changes in the next round', async () => {
    const { service, call } = setup();
    const r1 = await deltaRound(call, '/me/mailFolders/inbox/messages/delta?$select=subject,isRead,sender', 7);
    expect(r1.items).toHaveLength(60);
    expect(r1.pages).toBe(9);
    for (const m of r1.items)
      expect(Object.keys(m).sort()).toEqual(['@odata.etag', '@odata.type', 'id', 'isRead', 'sender', 'subject']);
    const report = service.applyChanges('mail@contoso.com', {
      mailbox: { add: 2, update: 3, delete: 2, mark_read: 4 },
    });
    const r2 = await deltaRound(call, r1.deltaLink, 4);
    const removed = r2.items
      .filter((i) => i['@removed'])
      .map((i) => String(i.id))
      .sort();
    expect(removed).toEqual([...report.mailbox.deleted].sort());
    const changed = r2.items.filter((i) => !i['@removed']);
    expect(changed.map((i) => String(i.id)).sort()).toEqual(
      [...report.mailbox.added, ...report.mailbox.updated, ...report.mailbox.marked_read].sort(),
    );
    for (const id of report.mailbox.marked_read) expect(changed.find((m) => m.id === id)?.isRead).toBe(true);
    for (const m of changed)
      expect(Object.keys(m).sort()).toEqual(['@odata.etag', '@odata.type', 'id', 'isRead', 'sender', 'subject']);
    expect((await deltaRound(call, r2.deltaLink)).items).toEqual([]);
  });

  it('reports a message moved away as removed and only created items with changeType=created', async () => {
    const { service, call } = setup(20);
    const all = await deltaRound(call, '/me/mailFolders/inbox/messages/delta');
    const created = await deltaRound(call, '/me/mailFolders/inbox/messages/delta?changeType=created&$select=subject');
    const victim = all.items[0] as Obj;
    const moved = await call('POST', `/me/messages/${String(victim.id)}/move`, { body: { destinationId: 'archive' } });
    expect(moved.status).toBe(201);
    expect(json(moved).id).not.toBe(victim.id);
    const report = service.applyChanges('mail@contoso.com', { mailbox: { add: 1, mark_read: 2 } });
    const next = await deltaRound(call, all.deltaLink);
    expect(next.items.find((i) => i.id === victim.id)).toEqual({
      '@odata.type': '#microsoft.graph.message',
      id: victim.id,
      '@removed': { reason: 'deleted' },
    });
    const createdNext = await deltaRound(call, created.deltaLink);
    expect(createdNext.items.map((i) => i.id)).toEqual(report.mailbox.added);
  });

  it('accepts only receivedDateTime ge|gt as $filter and honours it', async () => {
    const { service, call } = setup();
    const cut = '2025-02-20T00:00:00Z';
    const r = await deltaRound(call, `/me/mailFolders/inbox/messages/delta?$filter=receivedDateTime ge ${cut}`, 50);
    const inboxId = json(await call('GET', '/me/mailFolders/inbox')).id;
    const expected = (service.mailboxTruth('mail@contoso.com') as Obj[]).filter(
      (m) => m.parentFolderId === inboxId && String(m.receivedDateTime) >= cut,
    );
    expect(r.items.map((m) => m.id).sort()).toEqual(expected.map((m) => m.id).sort());
    for (const bad of [
      'isRead eq false',
      'receivedDateTime le 2025-02-20T00:00:00Z',
      'receivedDateTime ge 2025-01-01T00:00:00Z and isRead eq true',
    ]) {
      const res = await call('GET', `/me/mailFolders/inbox/messages/delta?$filter=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
    }
    expect((await call('GET', '/me/mailFolders/inbox/messages/delta?$orderby=subject')).status).toBe(400);
    expect((await call('GET', '/me/mailFolders/nowhere/messages/delta')).status).toBe(404);
  });

  it('answers 410 with a Location that keeps the folder and query after expiry', async () => {
    const { service, call } = setup(15);
    const r = await deltaRound(call, '/me/mailFolders/inbox/messages/delta?$select=subject');
    service.expireDeltaTokens();
    const gone = await call('GET', r.deltaLink);
    expect(gone.status).toBe(410);
    expect((json(gone).error as Obj).code).toBe('syncStateNotFound');
    const location = new URL(String(gone.headers?.Location));
    expect(location.pathname).toMatch(/^\/v1\.0\/me\/mailFolders\/[\w=-]+\/messages\/delta$/);
    expect(location.searchParams.get('$select')).toBe('subject');
    expect((await deltaRound(call, location.toString())).items).toHaveLength(15);
  });

  it('needs a mail scope', async () => {
    const { service, user } = setup(5);
    const res = await callerFor(service, user, ['Calendars.Read'])('GET', '/me/mailFolders/inbox/messages/delta');
    expect(res.status).toBe(403);
    expect((json(res).error as Obj).code).toBe('ErrorAccessDenied');
  });
});

describe('sendMail and message writes', () => {
  it('saves to Sent Items and delivers to a simulated recipient', async () => {
    const { service, call } = setup(5);
    const bob = service.createUser({ email: 'bob@contoso.com', mailbox: { messages: 0, folders: [] } });
    const res = await call('POST', '/me/sendMail', {
      body: {
        message: {
          subject: 'Grüße aus 日本',
          body: { contentType: 'Text', content: 'Hallo Bob' },
          toRecipients: [{ emailAddress: { address: 'BOB@contoso.com' } }],
        },
      },
    });
    expect(res).toMatchObject({ status: 202 });
    expect(res.body).toBeUndefined();
    const sent = json(await call('GET', '/me/mailFolders/sentitems/messages')).value as Obj[];
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ subject: 'Grüße aus 日本', isRead: true });
    const bobInbox = json(await callerFor(service, bob)('GET', '/me/mailFolders/inbox/messages')).value as Obj[];
    expect(bobInbox).toHaveLength(1);
    expect(bobInbox[0]).toMatchObject({
      subject: 'Grüße aus 日本',
      isRead: false,
      from: { emailAddress: { address: 'mail@contoso.com' } },
    });
    expect(String((bobInbox[0]?.body as Obj).content)).toContain('Hallo Bob');
  });

  it('refuses sendMail without Mail.Send or recipients', async () => {
    const { service, user, call } = setup(5);
    const body = { message: { subject: 'x', toRecipients: [{ emailAddress: { address: 'a@b.example' } }] } };
    const denied = await callerFor(service, user, ['Mail.ReadWrite'])('POST', '/me/sendMail', { body });
    expect(denied.status).toBe(403);
    const none = await call('POST', '/me/sendMail', { body: { message: { subject: 'x' } } });
    expect((json(none).error as Obj).code).toBe('ErrorInvalidRecipients');
    expect((await call('POST', '/me/sendMail')).status).toBe(400);
  });

  it('marks a message read with PATCH and deletes it', async () => {
    const { call } = setup(5);
    const [m] = json(await call('GET', '/me/mailFolders/inbox/messages?$filter=isRead eq false&$top=1')).value as Obj[];
    const patched = await call('PATCH', `/me/messages/${String(m?.id)}`, { body: { isRead: true } });
    expect(json(patched)).toMatchObject({ id: m?.id, isRead: true });
    expect(json(patched).changeKey).not.toBe(m?.changeKey);
    expect((await call('DELETE', `/me/messages/${String(m?.id)}`)).status).toBe(204);
    const gone = await call('GET', `/me/messages/${String(m?.id)}`);
    expect(gone.status).toBe(404);
    expect((json(gone).error as Obj).code).toBe('ErrorItemNotFound');
    expect((await call('PATCH', `/me/messages/${String(m?.id)}`, { body: { isRead: 'yes' } })).status).toBe(404);
  });
});
