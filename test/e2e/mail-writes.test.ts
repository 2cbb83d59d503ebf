import { createHash, randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { callerFrom } from '../../shared/identity/caller.js';
import { IdempotencyStore } from '../../shared/writes/idempotency.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemId } from '../../shared/items/keys.js';
import { mailCutoff } from '../../shared/sync/mail-stream.js';
import { MAX_SEND_BODY_BYTES } from '../../shared/writes/mail/requests.js';
import { folderId, mailboxTruth, simControl, type TruthMessage } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { byId, storedRows, syncSucceeded, truthMessage } from '../support/truth.js';

// Mail writes over the real stack (host, Azurite, simulator): each success path checked at the
// simulator's ground truth and through the query API; a sync round afterwards stores nothing again.

const SENDER = 'mailer@contoso.example';
const RCPT = 'rcpt@contoso.example';
const READER = 'readonly@contoso.example';
let stack: Stack;
let token: string;
let mailId: string;
let readerToken: string;
let readerMailId: string;
/** The ids the sends answered: each names its Sent Items copy once synced. */
const sentIds: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    settings: {
      SYNC_MAIL_FOLDERS: 'inbox,archive,sentitems',
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(MAX_SEND_BODY_BYTES),
    },
  });
  stack.user(SENDER, { email: SENDER, mailbox: { messages: 30, unread_share: 1, folders: ['archive'] } });
  stack.user(RCPT, { email: RCPT, mailbox: { messages: 1 } });
  stack.user(READER, { email: READER, mailbox: { messages: 5, unread_share: 1 } });
  token = await stack.callerToken(SENDER);
  readerToken = await stack.callerToken(READER);
  const connected = await stack.connect(SENDER, 'microsoft_outlook', SENDER, { access: 'read_write' });
  expect(connected.status).toBe(201);
  mailId = connected.body.id;
  readerMailId = (await stack.connect(READER, 'microsoft_outlook')).body.id;
  await syncSucceeded(stack, token, mailId);
  await syncSucceeded(stack, readerToken, readerMailId);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const messages = async (t = token, integration = mailId) =>
  (await stack.api('GET', `integrations/email-messages?integration_id=${integration}&limit=500`, { token: t })).body
    .results as { id: string; external_id: string; is_read: boolean; conversation_id: string; subject: string }[];
const sent = async (email: string) =>
  ((await simControl(stack.sim, 'GET', `users/${email}/sent`)) as { value: Record<string, unknown>[] }).value;
const delivered = async (email: string, subject: string) =>
  (await mailboxTruth(stack.sim, email)).filter((m) => m.subject === subject && m.isDraft !== true);
const graphRequests = async () => (await simControl(stack.sim, 'GET', 'stats')).graph_requests;
const send = (body: unknown, key?: string, t = token, integration = mailId) =>
  stack.api('POST', `integrations/${integration}/email-messages`, {
    token: t,
    body,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
const setFaults = (faults?: unknown) =>
  faults ? simControl(stack.sim, 'POST', 'faults', faults) : simControl(stack.sim, 'DELETE', 'faults');

/** A sync of the mail streams, and what it counted. */
async function syncRound(): Promise<{ items_upserted: number; items_deleted: number }> {
  const before = (await stack.api('GET', `integrations/${mailId}`, { token })).body.last_sync.finished_at as string;
  expect((await stack.api('POST', `integrations/${mailId}/sync`, { token, body: { sync_type: 'email' } })).status).toBe(
    202,
  );
  return (await syncSucceeded(stack, token, mailId, before)).last_sync;
}

/** The store equals the simulator's truth for the synced folders (within SYNC_MAIL_DAYS). */
async function expectStoreEqualsTruth() {
  const folders = new Set(
    await Promise.all(['inbox', 'archive', 'sentitems'].map((f) => folderId(stack.sim, SENDER, f))),
  );
  const cutoff = mailCutoff(new Date(), 30).getTime();
  const truth = (await mailboxTruth(stack.sim, SENDER)).filter(
    (m: TruthMessage) => folders.has(String(m.parentFolderId)) && Date.parse(m.receivedDateTime) >= cutoff,
  );
  const { items } = await storedRows(stack, 'EmailMessages', mailId);
  expect(byId(items as { external_id: string }[])).toEqual(byId(truth.map(truthMessage)));
}

describe('mark and move (PATCH …/email-messages/{message_id})', () => {
  it('marks read and unread: Graph, the answer and the query API agree; the next sync stores nothing again', async () => {
    const [first] = (await messages()).filter((m) => !m.is_read);
    expect(first).toBeDefined();
    const read = await stack.api('PATCH', `integrations/${mailId}/email-messages/${first!.id}`, {
      token,
      body: { is_read: true },
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: first!.id, external_id: first!.external_id, is_read: true });
    const truth = (await mailboxTruth(stack.sim, SENDER)).find((m) => m.id === first!.external_id);
    expect(truth?.isRead).toBe(true);
    expect((await messages()).find((m) => m.id === first!.id)?.is_read).toBe(true);

    const unread = await stack.api('PATCH', `integrations/${mailId}/email-messages/${first!.id}`, {
      token,
      body: { is_read: false },
    });
    expect(unread.body.is_read).toBe(false);
    expect((await messages()).find((m) => m.id === first!.id)?.is_read).toBe(false);
    expect(await syncRound()).toMatchObject({ items_upserted: 0, items_deleted: 0 });
    await expectStoreEqualsTruth();
  });

  it('moves between synced folders keeping id and external_id; to a folder not synced removes it', async () => {
    const [a, b] = await messages();
    const moved = await stack.api('PATCH', `integrations/${mailId}/email-messages/${a!.id}`, {
      token,
      body: { folder: 'archive', is_read: true },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: a!.id, external_id: a!.external_id, is_read: true });
    const archive = await folderId(stack.sim, SENDER, 'archive');
    expect((await mailboxTruth(stack.sim, SENDER)).find((m) => m.id === a!.external_id)?.parentFolderId).toBe(archive);
    expect((await messages()).map((m) => m.id)).toContain(a!.id);

    const away = await stack.api('PATCH', `integrations/${mailId}/email-messages/${b!.id}`, {
      token,
      body: { folder: 'deleteditems' },
    });
    expect(away.status).toBe(200);
    expect(away.body.external_id).toBe(b!.external_id);
    expect((await messages()).map((m) => m.id)).not.toContain(b!.id);
    // By folder id this time: the app matches it to the synced `inbox` (Graph's parentFolderId).
    const back = await stack.api('PATCH', `integrations/${mailId}/email-messages/${a!.id}`, {
      token,
      body: { folder: await folderId(stack.sim, SENDER, 'inbox') },
    });
    expect(back.status).toBe(200);
    expect(back.body.id).toBe(a!.id);

    expect(await syncRound()).toMatchObject({ items_upserted: 0, items_deleted: 0 });
    await expectStoreEqualsTruth();
    // The message moved away is gone for good: 404 now.
    const gone = await stack.api('PATCH', `integrations/${mailId}/email-messages/${b!.id}`, {
      token,
      body: { is_read: true },
    });
    expect(gone.status).toBe(404);
  });

  it('a read-only integration answers 403 insufficient_scope with required_scopes, and Graph hears nothing', async () => {
    const [m] = await messages(readerToken, readerMailId);
    const before = await graphRequests();
    const patch = await stack.api('PATCH', `integrations/${readerMailId}/email-messages/${m!.id}`, {
      token: readerToken,
      body: { is_read: true },
    });
    expect(patch.status).toBe(403);
    expect(patch.body).toMatchObject({ code: 'insufficient_scope', required_scopes: ['Mail.ReadWrite'] });
    const post = await send({ to: [{ email: RCPT }], subject: 'Never' }, 'ro-1', readerToken, readerMailId);
    expect(post.status).toBe(403);
    expect(post.body).toMatchObject({ code: 'insufficient_scope', required_scopes: ['Mail.ReadWrite', 'Mail.Send'] });
    expect(await graphRequests()).toBe(before);
    expect(await delivered(RCPT, 'Never')).toHaveLength(0);
  });

  it('unknown, foreign and malformed message ids are 404', async () => {
    const [theirs] = await messages(readerToken, readerMailId);
    for (const id of [theirs!.id, 'x'.repeat(27), 'nope', itemId(mailId, 'AAMkAGnothing')]) {
      const res = await stack.api('PATCH', `integrations/${mailId}/email-messages/${id}`, {
        token,
        body: { is_read: true },
      });
      expect(res.status, id).toBe(404);
    }
  });
});

describe('send (POST …/email-messages)', () => {
  it('sends through a draft: 202 with the Sent Items id and internetMessageId, delivered once, two Graph requests', async () => {
    await simControl(stack.sim, 'DELETE', 'stats');
    const res = await send({
      to: [{ email: RCPT, name: 'Recipient' }],
      cc: [{ email: 'someone@example.org' }],
      subject: 'Hello from the API',
      body: '<p>Hi</p>',
      body_type: 'html',
      importance: 'high',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'sent', internet_message_id: expect.any(String) });
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.graph_requests).toBe(2);
    expect(stats.by_path['POST /v1.0/me/messages']).toBe(1);
    expect(stats.by_path['POST /v1.0/me/messages/{id}/send']).toBe(1);
    const copies = await delivered(RCPT, 'Hello from the API');
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ importance: 'high', internetMessageId: res.body.internet_message_id });
    const log = (await sent(SENDER)).filter((s) => s.subject === 'Hello from the API');
    expect(log).toEqual([expect.objectContaining({ via: 'send', recipients: [RCPT, 'someone@example.org'] })]);
    // The id names the Sent Items copy: its immutable id is the draft's.
    expect(res.body.id).toBe(itemId(mailId, String(log[0]!.draftId)));
    sentIds.push(res.body.id);

    const unsaved = await send({ to: [{ email: RCPT }], subject: 'Not kept', save_to_sent_items: false });
    expect(unsaved.status).toBe(202);
    expect(unsaved.body).toEqual({ id: null, status: 'sent', internet_message_id: expect.any(String) });
    expect(await delivered(RCPT, 'Not kept')).toHaveLength(1);
    expect(await delivered(SENDER, 'Not kept')).toHaveLength(0); // no Sent Items copy, no draft left
  });

  it('replies in the conversation of a stored message (createReply)', async () => {
    const [original] = await messages();
    const res = await send({ to: [{ email: RCPT }], body: 'Thanks!', reply_to_message_id: original!.id });
    expect(res.status).toBe(202);
    const copies = (await mailboxTruth(stack.sim, RCPT)).filter(
      (m) => m.internetMessageId === res.body.internet_message_id,
    );
    expect(copies).toHaveLength(1);
    expect(copies[0]!.conversationId).toBe(original!.conversation_id);
    expect(String(copies[0]!.subject)).toMatch(/^RE: /);
    expect((await send({ to: [{ email: RCPT }], reply_to_message_id: 'y'.repeat(27) })).status).toBe(404);
  });

  it('attaches small files inline and a large one through an upload session; over 25 MB is 413 and sends nothing', async () => {
    const small = Buffer.from('Hello World!');
    const big = randomBytes(4_500_000);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
    await simControl(stack.sim, 'DELETE', 'stats');
    const res = await send({
      to: [{ email: RCPT }],
      subject: 'With attachments',
      attachments: [
        { name: 'hello.txt', content_type: 'text/plain', content_base64: small.toString('base64') },
        { name: 'big.bin', content_type: 'application/octet-stream', content_base64: big.toString('base64') },
      ],
    });
    expect(res.status).toBe(202);
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.by_path['POST /v1.0/me/messages/{id}/attachments']).toBe(1);
    expect(stats.by_path['POST /v1.0/me/messages/{id}/attachments/createUploadSession']).toBe(1);
    expect(stats.by_path['PUT /api/v2.0/{upload-session}']).toBe(2);
    const log = (await sent(SENDER)).find((s) => s.subject === 'With attachments') as {
      attachments: { name: string; sha256: string }[];
    };
    expect(log.attachments).toEqual([
      { name: 'hello.txt', size: small.length, sha256: sha(small) },
      { name: 'big.bin', size: big.length, sha256: sha(big) },
    ]);
    expect((await delivered(RCPT, 'With attachments'))[0]?.hasAttachments).toBe(true);

    const before = await graphRequests();
    const tooBig = await send({
      to: [{ email: RCPT }],
      subject: 'Too big',
      attachments: [
        {
          name: 'huge.bin',
          content_type: 'application/octet-stream',
          content_base64: Buffer.alloc(25_000_001).toString('base64'),
        },
      ],
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe('payload_too_large');
    expect(await graphRequests()).toBe(before);
    expect(await delivered(RCPT, 'Too big')).toHaveLength(0);
  });

  it('the 504-after-delivery fault, retried with the same key: exactly one delivered mail, the same answer', async () => {
    await setFaults({ send_timeout_after_delivery: 1 });
    const body = { to: [{ email: RCPT }], subject: 'Lost answer' };
    const first = await send(body, 'lost-answer-1');
    await setFaults();
    // The app checked the draft after the 504: it was sent, so the answer is 202, not a second send.
    expect(first.status).toBe(202);
    const again = await send(body, 'lost-answer-1');
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(await delivered(RCPT, 'Lost answer')).toHaveLength(1);
    expect((await sent(SENDER)).filter((s) => s.subject === 'Lost answer')).toHaveLength(1);
  });

  it('the same key with another body is 422; the same key twice at once is one 409 and one success', async () => {
    expect((await send({ to: [{ email: RCPT }], subject: 'Keyed' }, 'keyed-1')).status).toBe(202);
    const other = await send({ to: [{ email: RCPT }], subject: 'Keyed, changed' }, 'keyed-1');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');

    await setFaults({ latency_ms: 300 });
    const body = { to: [{ email: RCPT }], subject: 'Concurrent' };
    const answers = await Promise.all([send(body, 'concurrent-1'), send(body, 'concurrent-1')]);
    await setFaults();
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(answers.find((a) => a.status === 409)?.body.code).toBe('request_in_progress');
    expect(await delivered(RCPT, 'Concurrent')).toHaveLength(1);
    expect(await delivered(RCPT, 'Keyed, changed')).toHaveLength(0);
  });

  it('a retry after a crash finds the recorded draft: still a draft → sends that one; already sent → sends nothing', async () => {
    // What a crashed first attempt leaves: the key's entry with the draft's id noted, its lease over.
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, string>;
    const userKey = callerFrom(claims.tid, claims.oid, claims.sub)!.userKey;
    const table = TableClient.fromConnectionString(stack.azurite.connectionString, 'IdempotencyKeys', {
      allowInsecureConnection: true,
    });
    const store = new IdempotencyStore(table);
    const graphToken = await stack.sim.graphAccessToken(SENDER, ['Mail.ReadWrite', 'Mail.Send']);
    const graph = async (path: string, body?: unknown) => {
      const res = await fetch(`${stack.sim.graphBaseUrl}/v1.0${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${graphToken}`,
          prefer: 'IdType="ImmutableId"',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, string>) : {} };
    };
    const crashed = async (key: string, subject: string, sendIt: boolean) => {
      const body = { to: [{ email: RCPT }], subject };
      const draft = await graph('/me/messages', { subject, toRecipients: [{ emailAddress: { address: RCPT } }] });
      expect(draft.status).toBe(201);
      const begun = await store.begin(userKey, key, {
        method: 'POST',
        path: `/api/integrations/${mailId}/email-messages`,
        body,
      });
      if (begun.kind !== 'run') throw new Error('the key was taken');
      await store.note(begun.ticket, { draftId: draft.body.id!, internetMessageId: draft.body.internetMessageId! });
      if (sendIt) expect((await graph(`/me/messages/${draft.body.id}/send`)).status).toBe(202);
      await store.release(begun.ticket);
      return { body, draftId: draft.body.id! };
    };

    const unsent = await crashed('crash-before-send', 'Crashed before send', false);
    await simControl(stack.sim, 'DELETE', 'stats');
    const retried = await send(unsent.body, 'crash-before-send');
    expect(retried.status).toBe(202);
    expect(retried.body.id).toBe(itemId(mailId, unsent.draftId));
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.by_path['POST /v1.0/me/messages'] ?? 0).toBe(0); // no second draft
    expect(await delivered(RCPT, 'Crashed before send')).toHaveLength(1);
    expect((await sent(SENDER)).filter((s) => s.subject === 'Crashed before send')).toEqual([
      expect.objectContaining({ draftId: unsent.draftId }),
    ]);

    const done = await crashed('crash-after-send', 'Crashed after send', true);
    await simControl(stack.sim, 'DELETE', 'stats');
    const found = await send(done.body, 'crash-after-send');
    expect(found.status).toBe(202);
    expect(found.body.id).toBe(itemId(mailId, done.draftId));
    expect((await simControl(stack.sim, 'GET', 'stats')).by_path['POST /v1.0/me/messages/{id}/send'] ?? 0).toBe(0);
    expect(await delivered(RCPT, 'Crashed after send')).toHaveLength(1);
  });

  it('Graph throttling past the budget is 429 throttled with Retry-After, and nothing is sent', async () => {
    await setFaults({ status: 429, retry_after_s: 30 });
    const res = await send({ to: [{ email: RCPT }], subject: 'Throttled' });
    await setFaults();
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('throttled');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(30);
    expect(await delivered(RCPT, 'Throttled')).toHaveLength(0);
  });

  it('after the sends a sync round leaves the store equal to the truth; each send id is its Sent Items copy', async () => {
    const round = await syncRound();
    expect(round.items_deleted).toBe(0);
    await expectStoreEqualsTruth();
    const listed = new Map((await messages()).map((m) => [m.id, m]));
    expect(sentIds.length).toBeGreaterThan(0);
    for (const id of sentIds) expect(listed.get(id)?.subject, id).toBe('Hello from the API');
  });
});
