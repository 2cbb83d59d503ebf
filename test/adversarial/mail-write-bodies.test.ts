import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxTruth, simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { syncSucceeded } from '../support/truth.js';
import { expectProblem } from './endpoints.js';
import { raw } from './input-support.js';

// Hostile and malformed mail write bodies over real HTTP on a read_write integration: every one is
// a 4xx problem+json (never a 5xx), and nothing reaches Microsoft: no draft, no send, no change.

const SENDER = 'hostile-sender@contoso.example';
const RCPT = 'hostile-rcpt@contoso.example';
const SEED = Number(process.env.TEST_SEED ?? 4242);
let stack: Stack;
let token: string;
let mailId: string;
let messageId: string;
let rcptBefore: number;

beforeAll(async () => {
  stack = await startStack();
  stack.user(SENDER, { email: SENDER, mailbox: { messages: 3 } });
  stack.user(RCPT, { email: RCPT, mailbox: { messages: 0 } });
  token = await stack.callerToken(SENDER);
  mailId = (await stack.connect(SENDER, 'microsoft_outlook', SENDER, { access: 'read_write' })).body.id;
  await syncSucceeded(stack, token, mailId);
  const listed = await stack.api('GET', `integrations/email-messages?integration_id=${mailId}`, { token });
  messageId = listed.body.results[0].id;
  rcptBefore = (await mailboxTruth(stack.sim, RCPT)).length;
  await simControl(stack.sim, 'DELETE', 'stats');
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const KNOWN = new Set([
  'to',
  'cc',
  'bcc',
  'subject',
  'body',
  'body_type',
  'importance',
  'reply_to_message_id',
  'save_to_sent_items',
  'attachments',
]);
const base = { to: [{ email: RCPT, name: 'R' }], subject: 'Hostile', body: 'b' };
const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object(),
);
const notBoolean = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.boolean(), { maxLength: 2 }));
const notArray = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.object());
const notEmail = fc.string({ maxLength: 60 }).filter((s) => !s.includes('@'));
const many = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `r${i}@example.org` }));
const attachment = { name: 'a.txt', content_type: 'text/plain', content_base64: 'SGVsbG8=' };

/** Bodies the send endpoint must refuse: each one breaks at least one rule. */
const hostileSend: fc.Arbitrary<string> = fc.oneof(
  // Unknown fields, prototype keys included.
  fc
    .tuple(
      fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'userKey')),
      fc.jsonValue(),
    )
    .filter(([k]) => !KNOWN.has(k))
    .map(([k, v]) => `{${JSON.stringify(k)}:${JSON.stringify(v)},${JSON.stringify(base).slice(1)}`),
  // Wrong types in every field.
  notArray.map((to) => JSON.stringify({ ...base, to })),
  notString.map((subject) => JSON.stringify({ ...base, subject })),
  notString.map((body) => JSON.stringify({ ...base, body })),
  notBoolean.map((save) => JSON.stringify({ ...base, save_to_sent_items: save })),
  notArray.map((attachments) => JSON.stringify({ ...base, attachments })),
  fc
    .string()
    .filter((s) => s !== 'text' && s !== 'html')
    .map((t) => JSON.stringify({ ...base, body_type: t })),
  fc
    .string()
    .filter((s) => !['low', 'normal', 'high'].includes(s))
    .map((i) => JSON.stringify({ ...base, importance: i })),
  // Recipients: none, not addresses, unknown fields, control characters, too many.
  fc.constant(JSON.stringify({ ...base, to: [] })),
  notEmail.map((email) => JSON.stringify({ ...base, to: [{ email }] })),
  notEmail.map((email) => JSON.stringify({ ...base, cc: [{ email: RCPT }, { email }] })),
  fc.jsonValue().map((v) => JSON.stringify({ ...base, to: [{ email: RCPT, role: v }] })),
  fc
    .string({ minLength: 1, maxLength: 5 })
    .map((s) => JSON.stringify({ ...base, to: [{ email: RCPT, name: `\u0000${s}` }] })),
  fc.integer({ min: 501, max: 700 }).map((n) => JSON.stringify({ ...base, to: many(n) })),
  fc
    .integer({ min: 1, max: 300 })
    .map((n) => JSON.stringify({ ...base, to: many(200), cc: many(300 - n + 1), bcc: many(n) })),
  // Attachments: not base64, bad names, bad media types, unknown fields.
  fc
    .string({ minLength: 1, maxLength: 40 })
    .filter((s) => !(s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s)))
    .map((b) => JSON.stringify({ ...base, attachments: [{ ...attachment, content_base64: b }] })),
  fc
    .constantFrom('', 'a/b', '..\\x', 'x\ny', '\u0007')
    .map((name) => JSON.stringify({ ...base, attachments: [{ ...attachment, name }] })),
  fc
    .string({ maxLength: 30 })
    .filter((t) => !/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/.test(t))
    .map((t) => JSON.stringify({ ...base, attachments: [{ ...attachment, content_type: t }] })),
  fc.jsonValue().map((v) => JSON.stringify({ ...base, attachments: [{ ...attachment, inline: v }] })),
  // Too long, and not JSON objects at all.
  fc.integer({ min: 256, max: 2000 }).map((n) => JSON.stringify({ ...base, subject: 's'.repeat(n) })),
  fc.oneof(fc.array(fc.jsonValue()), fc.integer(), fc.string(), fc.constant(null)).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 80 }).map((s) => `{"to":[${s}`),
);

/** Bodies the PATCH endpoint must refuse. */
const hostilePatch: fc.Arbitrary<string> = fc.oneof(
  fc.constant('{}'),
  notBoolean.map((v) => JSON.stringify({ is_read: v })),
  fc
    .oneof(
      fc.string({ maxLength: 50 }).filter((s) => !/^[A-Za-z0-9=_+-]{1,200}$/.test(s)),
      fc.integer(),
      fc.constant(null),
      fc.constant('x'.repeat(201)),
    )
    .map((folder) => JSON.stringify({ folder })),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue())
    .filter(([k]) => k !== 'is_read' && k !== 'folder')
    .map(([k, v]) => JSON.stringify({ is_read: true, [k]: v })),
  fc.oneof(fc.array(fc.jsonValue()), fc.integer(), fc.constant(null)).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }).map((s) => `{"is_read":${s}`),
);

async function expectRefused(method: string, path: string, body: string): Promise<void> {
  const res = await raw(stack, method, path, { token, body, type: 'application/json' });
  expect(res.status, `${body.slice(0, 200)} → ${res.status}`).toBeGreaterThanOrEqual(400);
  expectProblem(res, (s) => s >= 400 && s < 500, undefined, body.slice(0, 200));
}

describe('hostile mail write bodies', () => {
  it('≥ 300 hostile send and change bodies: 4xx problem+json, never a 5xx, nothing at Microsoft', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(hostileSend, async (body) => {
        count++;
        await expectRefused('POST', `integrations/${mailId}/email-messages`, body);
      }),
      { numRuns: 260, seed: SEED },
    );
    await fc.assert(
      fc.asyncProperty(hostilePatch, async (body) => {
        count++;
        await expectRefused('PATCH', `integrations/${mailId}/email-messages/${messageId}`, body);
      }),
      { numRuns: 90, seed: SEED },
    );
    // Over the limits: 25 MB of attachments (413), with an Idempotency-Key that is not visible ASCII (400).
    const oversized = JSON.stringify({
      ...base,
      attachments: [{ ...attachment, content_base64: Buffer.alloc(2_000_000).toString('base64') }],
    });
    const big = await raw(stack, 'POST', `integrations/${mailId}/email-messages`, {
      token,
      body: oversized.replace(/"content_base64":"[^"]*"/, `"content_base64":"${'A'.repeat(33_400_000)}"`),
      type: 'application/json',
    });
    expectProblem(big, 413, 'payload_too_large', '33 MB of base64');
    for (const key of ['', 'a b', 'é', 'x'.repeat(256)]) {
      const res = await raw(stack, 'POST', `integrations/${mailId}/email-messages`, {
        token,
        body: JSON.stringify(base),
        type: 'application/json',
        headers: { 'idempotency-key': key },
      });
      expectProblem(res, 400, 'validation_failed', `Idempotency-Key ${JSON.stringify(key.slice(0, 10))}`);
      count++;
    }
    expect(count).toBeGreaterThanOrEqual(300);

    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.by_path['POST /v1.0/me/messages'] ?? 0).toBe(0);
    expect(stats.by_path['PATCH /v1.0/me/messages/{id}'] ?? 0).toBe(0);
    expect(stats.by_path['POST /v1.0/me/messages/{id}/move'] ?? 0).toBe(0);
    expect(stats.graph_requests).toBe(0);
    expect(((await simControl(stack.sim, 'GET', `users/${SENDER}/sent`)) as { value: unknown[] }).value).toEqual([]);
    expect(await mailboxTruth(stack.sim, RCPT)).toHaveLength(rcptBefore);
  });
});
