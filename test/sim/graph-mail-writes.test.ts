import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

// The simulator's mail writes over real HTTPS: drafts, send, createReply, sendMail, attachments
// inline and through upload sessions, scopes, the send rate and the 504-after-delivery fault.

let t: TestSimulator;
let writer: string;
let reader: string;
const A = 'writer@contoso.example';
const B = 'reader@contoso.example';
const IMMUTABLE = { prefer: 'IdType="ImmutableId"' };

beforeAll(async () => {
  t = await startTestSimulator({ seed: 7 });
  for (const email of [A, B]) t.sim.createUser({ email, mailbox: { messages: 3 } });
  writer = await t.sim.graphAccessToken(A, ['User.Read', 'Mail.ReadWrite', 'Mail.Send']);
  reader = await t.sim.graphAccessToken(A, ['User.Read', 'Mail.Read']);
});
afterEach(async () => {
  await fetch(`${t.sim.baseUrl}/_sim/faults`, { method: 'DELETE' });
});
afterAll(() => t.sim.close());

async function graph(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token = writer,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(path.startsWith('https:') ? path : `${t.sim.graphBaseUrl}/v1.0${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const truth = async (email: string) =>
  ((await (await fetch(`${t.sim.baseUrl}/_sim/users/${email}/mailbox`)).json()) as { value: Record<string, unknown>[] })
    .value;
const sent = async (email: string) =>
  ((await (await fetch(`${t.sim.baseUrl}/_sim/users/${email}/sent`)).json()) as { value: Record<string, unknown>[] })
    .value;
const draft = (subject: string, extra: Record<string, unknown> = {}) => ({
  subject,
  body: { contentType: 'Text', content: `Body of ${subject}` },
  toRecipients: [{ emailAddress: { address: B, name: 'Reader' } }],
  ...extra,
});
const inboxOf = async (email: string, subject: string) =>
  (await truth(email)).filter((m) => m.subject === subject && !m.isDraft);

describe('simulated mail writes', () => {
  it('creates a draft (201) and sends it (202): the draft becomes the Sent Items copy under its immutable id', async () => {
    const created = await graph('POST', '/me/messages', draft('Draft one'), IMMUTABLE);
    expect(created.status).toBe(201);
    expect(created.body.isDraft).toBe(true);
    const id = String(created.body.id);
    const imid = String(created.body.internetMessageId);
    expect(imid).toMatch(/^<.+@.+>$/);

    expect((await graph('POST', `/me/messages/${id}/send`, undefined, IMMUTABLE)).status).toBe(202);
    const copy = await graph('GET', `/me/messages/${id}`, undefined, IMMUTABLE);
    expect(copy.status).toBe(200);
    expect(copy.body.isDraft).toBe(false);
    expect(copy.body.internetMessageId).toBe(imid);
    const sentItems = await graph('GET', '/me/mailFolders/sentitems');
    expect(copy.body.parentFolderId).toBe(sentItems.body.id);
    // The draft's default (REST) id moved with it: it no longer resolves without the preference.
    expect((await graph('GET', `/me/messages/${id}`)).status).toBe(404);
    // Delivered once to the simulated recipient, logged once for the sender.
    expect(await inboxOf(B, 'Draft one')).toHaveLength(1);
    const log = (await sent(A)).filter((s) => s.subject === 'Draft one');
    expect(log).toEqual([
      expect.objectContaining({ via: 'send', draftId: id, recipients: [B], internetMessageId: imid }),
    ]);
    // Sending it again is refused: it is no longer a draft.
    expect((await graph('POST', `/me/messages/${id}/send`, undefined, IMMUTABLE)).status).toBe(400);
  });

  it('a draft marked PidTagDeleteAfterSubmit (Boolean 0x0E01) leaves no Sent Items copy once sent', async () => {
    const created = await graph(
      'POST',
      '/me/messages',
      draft('Not kept', { singleValueExtendedProperties: [{ id: 'Boolean 0x0E01', value: 'true' }] }),
      IMMUTABLE,
    );
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect((await graph('POST', `/me/messages/${id}/send`, undefined, IMMUTABLE)).status).toBe(202);
    expect((await graph('GET', `/me/messages/${id}`, undefined, IMMUTABLE)).status).toBe(404);
    expect(await inboxOf(B, 'Not kept')).toHaveLength(1);
    expect((await truth(A)).filter((m) => m.subject === 'Not kept')).toHaveLength(0);
  });

  it('needs Mail.ReadWrite for drafts and Mail.Send for send and sendMail', async () => {
    expect((await graph('POST', '/me/messages', draft('x'), {}, reader)).status).toBe(403);
    const created = await graph('POST', '/me/messages', draft('Scoped'), IMMUTABLE);
    const noSend = await t.sim.graphAccessToken(A, ['User.Read', 'Mail.ReadWrite']);
    expect(
      (await graph('POST', `/me/messages/${String(created.body.id)}/send`, undefined, IMMUTABLE, noSend)).status,
    ).toBe(403);
    expect((await graph('POST', '/me/sendMail', { message: draft('Scoped') }, {}, noSend)).status).toBe(403);
    expect(await inboxOf(B, 'Scoped')).toHaveLength(0);
  });

  it('createReply keeps the conversation and answers the original sender', async () => {
    const original = (await truth(A)).find((m) => !m.isDraft && m.from) as Record<string, unknown>;
    const reply = await graph(
      'POST',
      `/me/messages/${String(original.id)}/createReply`,
      { message: { toRecipients: [{ emailAddress: { address: B } }] }, comment: 'Thanks' },
      IMMUTABLE,
    );
    expect(reply.status).toBe(201);
    expect(reply.body.conversationId).toBe(original.conversationId);
    expect(reply.body.subject).toBe(`RE: ${String(original.subject)}`);
    expect(reply.body.isDraft).toBe(true);
    expect(
      (
        await graph(
          'POST',
          `/me/messages/${String(original.id)}/createReply`,
          {
            comment: 'a',
            message: { body: { contentType: 'text', content: 'b' } },
          },
          IMMUTABLE,
        )
      ).status,
    ).toBe(400);
  });

  it('refuses more than 500 recipients and a send without recipients', async () => {
    const many = Array.from({ length: 501 }, (_, i) => ({ emailAddress: { address: `r${i}@example.org` } }));
    expect((await graph('POST', '/me/sendMail', { message: draft('Many', { toRecipients: many }) })).status).toBe(400);
    const split = await graph(
      'POST',
      '/me/messages',
      {
        ...draft('Split'),
        toRecipients: many.slice(0, 300),
        ccRecipients: many.slice(300),
      },
      IMMUTABLE,
    );
    expect(split.status).toBe(201);
    expect((await graph('POST', `/me/messages/${String(split.body.id)}/send`, undefined, IMMUTABLE)).status).toBe(400);
    const empty = await graph('POST', '/me/messages', { subject: 'Nobody' }, IMMUTABLE);
    expect((await graph('POST', `/me/messages/${String(empty.body.id)}/send`, undefined, IMMUTABLE)).status).toBe(400);
  });

  it('attaches small files inline and large ones through an upload session without a bearer token', async () => {
    const created = await graph('POST', '/me/messages', draft('With files'), IMMUTABLE);
    const id = String(created.body.id);
    const small = await graph(
      'POST',
      `/me/messages/${id}/attachments`,
      {
        '@odata.type': '#microsoft.graph.fileAttachment',
        name: 'hello.txt',
        contentType: 'text/plain',
        contentBytes: Buffer.from('Hello World!').toString('base64'),
      },
      IMMUTABLE,
    );
    expect(small.status).toBe(201);
    expect(small.body).toMatchObject({ name: 'hello.txt', size: 12, isInline: false });

    const big = randomBytes(5 * 1024 * 1024 + 17);
    const session = await graph(
      'POST',
      `/me/messages/${id}/attachments/createUploadSession`,
      { AttachmentItem: { attachmentType: 'file', name: 'big.bin', size: big.length } },
      IMMUTABLE,
    );
    expect(session.status).toBe(201);
    expect(session.body.nextExpectedRanges).toEqual(['0-']);
    const url = String(session.body.uploadUrl);
    const put = (start: number, end: number, auth?: string) =>
      fetch(url, {
        method: 'PUT',
        headers: {
          'content-type': 'application/octet-stream',
          'content-range': `bytes ${start}-${end}/${big.length}`,
          ...(auth ? { authorization: auth } : {}),
        },
        body: big.subarray(start, end + 1),
      });
    expect((await put(0, 99, `Bearer ${writer}`)).status).toBe(401);
    const chunk = 3 * 1024 * 1024;
    const first = await put(0, chunk - 1);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([`${chunk}-`]);
    expect((await put(chunk + 1, big.length - 1)).status).toBe(400);
    const last = await put(chunk, big.length - 1);
    expect(last.status).toBe(201);
    expect(last.headers.get('location')).toMatch(/Attachments\('/);

    const listed = await graph('GET', `/me/messages/${id}/attachments`, undefined, IMMUTABLE);
    expect((listed.body.value as unknown[]).map((a) => (a as { size: number }).size)).toEqual([12, big.length]);
    expect((await graph('POST', `/me/messages/${id}/send`, undefined, IMMUTABLE)).status).toBe(202);
    const log = (await sent(A)).find((s) => s.subject === 'With files') as { attachments: { sha256: string }[] };
    expect(log.attachments[1]?.sha256).toBe(createHash('sha256').update(big).digest('base64'));
    const delivered = await inboxOf(B, 'With files');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.hasAttachments).toBe(true);
  });

  it('delivers a send and answers 504 under send_timeout_after_delivery, for send and sendMail', async () => {
    const set = await fetch(`${t.sim.baseUrl}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ send_timeout_after_delivery: 2 }),
    });
    expect(set.status).toBe(200);
    const created = await graph('POST', '/me/messages', draft('Lost answer'), IMMUTABLE);
    expect(created.status).toBe(201);
    expect((await graph('POST', `/me/messages/${String(created.body.id)}/send`, undefined, IMMUTABLE)).status).toBe(
      504,
    );
    expect((await graph('POST', '/me/sendMail', { message: draft('Lost sendMail') })).status).toBe(504);
    expect(await inboxOf(B, 'Lost answer')).toHaveLength(1);
    expect(await inboxOf(B, 'Lost sendMail')).toHaveLength(1);
    // The draft is gone from Drafts: it was sent.
    const copy = await graph('GET', `/me/messages/${String(created.body.id)}`, undefined, IMMUTABLE);
    expect(copy.body.isDraft).toBe(false);
    expect((await graph('POST', '/me/sendMail', { message: draft('After fault') })).status).toBe(202);
  });

  it('throttles submissions beyond about 30 a minute per mailbox with Retry-After, sending nothing', async () => {
    const C = 'busy@contoso.example';
    t.sim.createUser({ email: C, mailbox: { messages: 0 } });
    const token = await t.sim.graphAccessToken(C, ['User.Read', 'Mail.Send']);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 31; i++) {
      const res = await graph(
        'POST',
        '/me/sendMail',
        { message: draft(`Rate ${i}`), saveToSentItems: false },
        {},
        token,
      );
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 30).every((s) => s === 202)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(await sent(C)).toHaveLength(30);
    expect(await inboxOf(B, 'Rate 30')).toHaveLength(0);
  });

  it('moves a message (201): the REST id changes, the immutable id stays', async () => {
    const m = (await truth(A)).find((x) => !x.isDraft) as Record<string, unknown>;
    const plain = await graph('POST', `/me/messages/${String(m.id)}/move`, { destinationId: 'archive' });
    expect(plain.status).toBe(201);
    expect(plain.body.id).not.toBe(m.id);
    const back = await graph('POST', `/me/messages/${String(m.id)}/move`, { destinationId: 'inbox' }, IMMUTABLE);
    expect(back.status).toBe(201);
    expect(back.body.id).toBe(m.id);
    const read = await graph('PATCH', `/me/messages/${String(m.id)}`, { isRead: true }, IMMUTABLE);
    expect(read.status).toBe(200);
    expect(read.body.isRead).toBe(true);
    expect((await graph('PATCH', `/me/messages/${String(m.id)}`, { isRead: false }, IMMUTABLE, reader)).status).toBe(
      403,
    );
  });
});
