import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphGet, withImmutableIds } from '../../shared/graph/client.js';
import { Semaphore } from '../../shared/graph/semaphore.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

// Graph's default ids change when a message moves to another folder; under
// `Prefer: IdType="ImmutableId"` they do not (outlook-immutable-id.md). Over real HTTPS, so the
// front's handling of one comma-separated Prefer and of repeated Prefer headers is covered too.
type Obj = Record<string, unknown>;
const IMMUTABLE = 'IdType="ImmutableId"';

let t: TestSimulator;
let token: string;
let n = 0;
beforeAll(async () => {
  t = await startTestSimulator();
});
afterAll(() => t.sim.close());

/** A fresh user with a small Inbox; returns its email. */
async function freshUser(): Promise<string> {
  const email = `mover${++n}@contoso.example`;
  t.sim.createUser({
    email,
    calendar: { events: 1, recurring_series: 0, all_day: 0 },
    mailbox: { messages: 6, folders: ['archive'] },
  });
  token = await t.sim.graphAccessToken(email, ['User.Read', 'Mail.ReadWrite']);
  return email;
}

/** A Graph call; `prefer` is sent as one header each (an array repeats the header). */
function graph(
  method: string,
  path: string,
  prefer: string[] = [],
  body?: unknown,
): Promise<{ status: number; body: Obj }> {
  const url = new URL(path.startsWith('https://') ? path : `${t.sim.graphBaseUrl}/v1.0${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { authorization: `Bearer ${token}` };
    if (prefer.length > 0) headers.prefer = prefer.length === 1 ? (prefer[0] as string) : prefer;
    if (payload) headers['content-type'] = 'application/json';
    const req = request(
      { method, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Obj) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const ids = (body: Obj): string[] => (body.value as Obj[]).map((m) => String(m.id));

/** A whole delta round of a folder; returns the deltaLink and the entries. */
async function deltaRound(first: string, prefer: string[]): Promise<{ deltaLink: string; items: Obj[] }> {
  const items: Obj[] = [];
  for (let next = first; ;) {
    const res = await graph('GET', next, prefer);
    expect(res.status).toBe(200);
    items.push(...(res.body.value as Obj[]));
    if (res.body['@odata.deltaLink']) return { deltaLink: String(res.body['@odata.deltaLink']), items };
    next = String(res.body['@odata.nextLink']);
  }
}

describe('message ids across a move', () => {
  it('without the preference, a moved message gets a new id and the old one is gone', async () => {
    await freshUser();
    const [id] = ids((await graph('GET', '/me/mailFolders/inbox/messages?$top=1')).body);
    const moved = await graph('POST', `/me/messages/${id}/move`, [], { destinationId: 'archive' });
    expect(moved.status).toBe(201);
    expect(moved.body.id).not.toBe(id);
    expect((await graph('GET', `/me/messages/${id}`)).status).toBe(404);
    const found = await graph('GET', `/me/messages/${String(moved.body.id)}`);
    expect(found.status).toBe(200);
    expect(found.body.parentFolderId).toBe((await graph('GET', '/me/mailFolders/archive')).body.id);
    expect(ids((await graph('GET', '/me/mailFolders/archive/messages')).body)).toContain(moved.body.id);
  });

  it('with IdType="ImmutableId", the id stays through moves, whoever moved it', async () => {
    await freshUser();
    const [id] = ids((await graph('GET', '/me/mailFolders/inbox/messages?$top=1', [IMMUTABLE])).body);
    const moved = await graph('POST', `/me/messages/${id}/move`, [IMMUTABLE], { destinationId: 'archive' });
    expect(moved.status).toBe(201);
    expect(moved.body.id).toBe(id);
    expect((await graph('GET', `/me/messages/${id}`, [IMMUTABLE])).body.parentFolderId).toBe(
      (await graph('GET', '/me/mailFolders/archive')).body.id,
    );
    // A client without the preference moves it back: its REST id changes again, the immutable one does not.
    const restId = ids((await graph('GET', '/me/mailFolders/archive/messages')).body)[0] as string;
    expect(restId).not.toBe(id);
    const back = await graph('POST', `/me/messages/${restId}/move`, [], { destinationId: 'inbox' });
    expect(back.body.id).not.toBe(restId);
    expect(ids((await graph('GET', '/me/mailFolders/inbox/messages', [IMMUTABLE])).body)).toContain(id);
    expect(ids((await graph('GET', '/me/mailFolders/inbox/messages')).body)).not.toContain(restId);
  });

  it('reads the preference among others, in one comma-separated Prefer or in repeated Prefer headers', async () => {
    await freshUser();
    const [id] = ids((await graph('GET', '/me/mailFolders/inbox/messages?$top=1')).body);
    await graph('POST', `/me/messages/${id}/move`, [IMMUTABLE], { destinationId: 'archive' });
    for (const prefer of [
      [`odata.maxpagesize=1, ${IMMUTABLE}`],
      [`${IMMUTABLE}, odata.maxpagesize=1`],
      ['odata.maxpagesize=1', IMMUTABLE],
      ['outlook.timezone="UTC"', `odata.maxpagesize=1,${IMMUTABLE}`],
    ]) {
      const page = await graph('GET', '/me/mailFolders/archive/messages/delta', prefer);
      expect(page.status).toBe(200);
      expect(ids(page.body), prefer.join(' | ')).toEqual([id]);
    }
    const plain = await graph('GET', '/me/mailFolders/archive/messages/delta', ['odata.maxpagesize=1']);
    expect(ids(plain.body)).toHaveLength(1);
    expect(ids(plain.body)).not.toEqual([id]);
  });

  it('in message delta, a move is @removed in the source and created in the destination, with the ids asked for', async () => {
    await freshUser();
    for (const prefer of [[IMMUTABLE], []]) {
      const inbox = await deltaRound('/me/mailFolders/inbox/messages/delta', prefer);
      const archive = await deltaRound('/me/mailFolders/archive/messages/delta', prefer);
      const id = String(inbox.items[0]?.id);
      const moved = await graph('POST', `/me/messages/${id}/move`, prefer, { destinationId: 'archive' });
      const source = await deltaRound(inbox.deltaLink, prefer);
      const destination = await deltaRound(archive.deltaLink, prefer);
      expect(source.items).toEqual([
        { '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } },
      ]);
      expect(destination.items.map((m) => m.id)).toEqual([moved.body.id]);
      if (prefer.length > 0) expect(moved.body.id).toBe(id);
      else expect(moved.body.id).not.toBe(id);
    }
  });
});

describe("the preference in the stats and in the app's Graph client", () => {
  it('counts Graph requests by the ids they asked for, naming the paths without the preference', async () => {
    await freshUser();
    expect((await fetch(`${t.sim.baseUrl}/_sim/stats`, { method: 'DELETE' })).ok).toBe(true);
    await graph('GET', '/me', [IMMUTABLE]);
    await graph('GET', '/me/mailFolders/inbox/messages', ['odata.maxpagesize=5', IMMUTABLE]);
    await graph('GET', '/me/mailFolders/inbox/messages', ['odata.maxpagesize=5']);
    expect(t.sim.stats().graph_id_types).toEqual({
      immutable: 2,
      default: 1,
      default_by_path: { 'GET /v1.0/me/mailFolders/inbox/messages': 1 },
    });
  });

  it("withImmutableIds adds the preference to the caller's Prefer and replaces another IdType", () => {
    expect(withImmutableIds({})).toEqual({ Prefer: IMMUTABLE });
    expect(withImmutableIds({ Prefer: 'odata.maxpagesize=100', 'client-request-id': 'x' })).toEqual({
      Prefer: `odata.maxpagesize=100, ${IMMUTABLE}`,
      'client-request-id': 'x',
    });
    expect(withImmutableIds({ prefer: 'odata.maxpagesize=100, outlook.timezone="UTC", IdType="RestId"' })).toEqual({
      Prefer: `odata.maxpagesize=100, outlook.timezone="UTC", ${IMMUTABLE}`,
    });
  });

  it("createGraphGet sends it with every request, alongside the caller's preferences", async () => {
    const email = await freshUser();
    const [moved] = ids((await graph('GET', '/me/mailFolders/inbox/messages?$top=1')).body);
    await graph('POST', `/me/messages/${moved}/move`, [], { destinationId: 'archive' });
    const appToken = await t.sim.graphAccessToken(email, ['Mail.Read']);
    const get = createGraphGet({
      baseUrl: t.sim.graphBaseUrl,
      getAccessToken: async () => appToken,
      mailboxSlots: new Semaphore(4),
    });
    await fetch(`${t.sim.baseUrl}/_sim/stats`, { method: 'DELETE' });
    const page = (await get('/me/mailFolders/archive/messages/delta', { Prefer: 'odata.maxpagesize=1' })) as Obj;
    expect(ids(page)).toEqual([moved]);
    await get(String(page['@odata.nextLink']), { Prefer: 'odata.maxpagesize=1' });
    expect(t.sim.stats().graph_id_types).toEqual({ immutable: 2, default: 0, default_by_path: {} });
  });
});
