import { validate as validateDocument } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/openapi/document.js';
import { simControl } from '../support/sim-control.js';
import { startStack, type Answer, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';
import type { OpenApiDocument } from './document-shape.js';
import { responseValidator } from './response-validator.js';

// Every operation of the document is called on the local host over real HTTP (Azurite, the
// simulator), with its successes and its errors, and every answer is validated against the
// document as served at GET /api/openapi.json.

let stack: Stack;
let check: ReturnType<typeof responseValidator>;
const seen: { op: string; status: number }[] = [];
const failures: string[] = [];

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

type Options = Parameters<Stack['api']>[2] & { params?: Record<string, string>; query?: Record<string, string> };

/** Calls `template` (a documented path) and validates the answer; returns it for the test to inspect. */
async function call(method: string, template: string, options: Options = {}) {
  const { params = {}, query, ...rest } = options;
  let path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  if (query) path += `?${new URLSearchParams(query)}`;
  const res = await stack.api(method, path, rest);
  seen.push({ op: `${method.toLowerCase()} /${template}`, status: res.status });
  for (const problem of check(method, template, res)) failures.push(`${method} ${path} → ${res.status}: ${problem}`);
  return res;
}

const integrationNow = (token: string, id: string) => call('GET', 'integrations/{id}', { token, params: { id } });
const until = (token: string, id: string, done: (body: Answer['body']) => boolean) =>
  waitFor(
    async () => {
      const res = await integrationNow(token, id);
      return done(res.body) ? res.body : undefined;
    },
    90_000,
    250,
  );

describe('answers of every endpoint validate against the document', () => {
  it('the document served at GET /api/openapi.json is the built one and valid OpenAPI 3.1', async () => {
    const res = await fetch(`${stack.host.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const served = (await res.json()) as OpenApiDocument;
    expect(served).toEqual(openApiDocument());
    const result = await validateDocument(structuredClone(served) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    check = responseValidator(served);
    expect((await call('GET', 'openapi.json')).status).toBe(200);
    expect((await call('GET', 'health')).status).toBe(200);
    // Their documented 4xx: a query parameter neither takes, named in `errors`.
    for (const template of ['openapi.json', 'health']) {
      const refused = await call('GET', template, { query: { verbose: '1' } });
      expect(refused.status, template).toBe(400);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['verbose']);
    }
  });

  it('connect, list, read, sync, query and disconnect, with their errors', async () => {
    const email = 'spec@contoso.example';
    const token = await stack.callerToken(email);
    expect((await call('GET', 'integrations')).status).toBe(401);
    expect((await call('POST', 'integrations/oauth/initiate', { token, body: { provider: 'google' } })).status).toBe(
      400,
    );
    expect(
      (
        await call('POST', 'integrations/oauth/initiate', {
          token,
          body: 'provider=x',
          headers: { 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await call('POST', 'integrations/oauth/initiate', {
          token,
          body: { provider: 'microsoft_outlook', login_hint: 'x'.repeat(70_000) },
        })
      ).status,
    ).toBe(413);
    expect(
      (await call('POST', 'integrations/oauth/initiate', { token, body: { provider: 'microsoft_outlook' } })).status,
    ).toBe(200);
    expect(
      (
        await call('POST', 'integrations/oauth/callback', {
          token,
          body: { provider: 'microsoft_outlook', state: 'forged', code: 'c' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('POST', 'integrations/oauth/callback', {
          token,
          body: '{"provider":',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);

    // The connect flow's own calls go through stack.connect; their answers are validated here.
    const calendar = await stack.connect(email, 'microsoft_calendar');
    const mail = await stack.connect(email, 'microsoft_outlook');
    const again = await stack.connect(email, 'microsoft_outlook');
    for (const [res, status] of [
      [calendar, 201],
      [mail, 201],
      [again, 200],
    ] as const) {
      expect(res.status).toBe(status);
      seen.push({ op: 'post /integrations/oauth/callback', status: res.status });
      failures.push(
        ...check('POST', 'integrations/oauth/callback', res as never).map((p) => `callback ${res.status}: ${p}`),
      );
    }
    const [calendarId, mailId] = [calendar.body.id as string, mail.body.id as string];

    expect((await call('GET', 'integrations', { token })).body.results).toHaveLength(2);
    expect(
      (await call('GET', 'integrations/{id}', { token, params: { id: '00000000-0000-4000-8000-000000000000' } }))
        .status,
    ).toBe(404);
    expect(
      (
        await call('POST', 'integrations/{id}/sync', {
          token,
          params: { id: calendarId },
          body: { sync_type: 'email' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', 'integrations/{id}/sync', { token, params: { id: 'nope' }, body: { sync_type: 'full' } }))
        .status,
    ).toBe(404);
    await until(token, calendarId, (b) => b.last_sync?.status === 'succeeded');
    await until(token, mailId, (b) => b.last_sync?.status === 'succeeded');
    expect(
      (await call('POST', 'integrations/{id}/sync', { token, params: { id: mailId }, body: { sync_type: 'email' } }))
        .status,
    ).toBe(202);

    const events = await call('GET', 'integrations/calendar-events', { token, query: { limit: '3' } });
    expect(events.body.results).toHaveLength(3);
    expect(events.body.next_cursor).toEqual(expect.any(String));
    expect(
      (
        await call('GET', 'integrations/calendar-events', {
          token,
          query: { limit: '3', cursor: events.body.next_cursor },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('GET', 'integrations/calendar-events', { token, query: { start_date: '2024-01-01T00:00:00' } }))
        .status,
    ).toBe(400);
    expect(
      (await call('GET', 'integrations/calendar-events', { token, query: { integration_id: mailId } })).status,
    ).toBe(404);
    const messages = await call('GET', 'integrations/email-messages', { token, query: { integration_id: mailId } });
    expect(messages.body.results.length).toBeGreaterThan(0);
    expect((await call('GET', 'integrations/email-messages', { token, query: { is_read: 'maybe' } })).status).toBe(400);
    expect(
      (await call('GET', 'integrations/email-messages', { token, query: { integration_id: calendarId } })).status,
    ).toBe(404);

    // Microsoft's notification endpoints: the handshake, a delivery for an unknown subscription, a bad body.
    for (const route of ['integrations/notifications', 'integrations/notifications/lifecycle']) {
      const shake = await call('POST', route, { query: { validationToken: 'a b+c' } });
      expect([shake.status, shake.body]).toEqual([200, 'a b+c']);
      const unknown = {
        value: [{ subscriptionId: 'nope', clientState: 'x', lifecycleEvent: 'missed', changeType: 'updated' }],
      };
      expect((await call('POST', route, { body: unknown })).status).toBe(202);
      expect((await call('POST', route, { body: { value: 'nope' } })).status).toBe(400);
    }

    expect((await call('DELETE', 'integrations/{id}', { token, params: { id: mailId } })).status).toBe(204);
    expect((await call('DELETE', 'integrations/{id}', { token, params: { id: mailId } })).status).toBe(404);
    const busy = await call('GET', 'integrations/free-busy', { token, query: { integration_id: calendarId } });
    expect(busy.status).toBe(200);
    expect(busy.body.busy.length).toBeGreaterThan(0);
    expect(
      (await call('GET', 'integrations/free-busy', { token, query: { end_date: '2024-01-01T00:00:00Z' } })).status,
    ).toBe(400);
    expect((await call('GET', 'integrations/free-busy', { token, query: { integration_id: mailId } })).status).toBe(
      404,
    );
    expect(failures).toEqual([]);
  });

  it('an integration Microsoft stopped accepting: reauth_required with its reason, and 409 on sync', async () => {
    const email = 'spec-revoked@contoso.example';
    stack.user(email);
    await simControl(stack.sim, 'POST', 'tokens', { access_token_ttl_s: 1 });
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_calendar')).body.id as string;
    await until(token, id, (b) => b.last_sync?.status === 'succeeded');
    await simControl(stack.sim, 'POST', `users/${email}/revoke`);
    await simControl(stack.sim, 'POST', 'tokens', { access_token_ttl_s: 3600 });
    await new Promise((r) => setTimeout(r, 1100)); // the 1 s access token has expired: the sync must refresh
    expect(
      (await call('POST', 'integrations/{id}/sync', { token, params: { id }, body: { sync_type: 'calendar' } })).status,
    ).toBe(202);
    const body = await until(token, id, (b) => b.status === 'reauth_required');
    expect(body.status_reason).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(body.last_sync.error.code).toBe('reauth_required');
    const refused = await call('POST', 'integrations/{id}/sync', {
      token,
      params: { id },
      body: { sync_type: 'calendar' },
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'reauth_required']);
    expect(failures).toEqual([]);
  });

  it('mail writes: mark, move and send, with their refusals', async () => {
    const email = 'spec-writer@contoso.example';
    stack.user(email, { email, mailbox: { messages: 5, unread_share: 1 } });
    const token = await stack.callerToken(email);
    const writer = await stack.connect(email, 'microsoft_outlook', email, { access: 'read_write' });
    const id = writer.body.id as string;
    await until(token, id, (b) => b.last_sync?.status === 'succeeded');
    const [message, other] = (
      await call('GET', 'integrations/email-messages', { token, query: { integration_id: id } })
    ).body.results as { id: string }[];
    const route = 'integrations/{id}/email-messages/{message_id}';
    const params = { id, message_id: message!.id };
    expect((await call('PATCH', route, { token, params, body: { is_read: true } })).status).toBe(200);
    expect((await call('PATCH', route, { token, params, body: { folder: 'archive', is_read: false } })).status).toBe(
      200,
    );
    expect((await call('PATCH', route, { token, params, body: {} })).status).toBe(400);
    expect(
      (await call('PATCH', route, { token, params: { id, message_id: 'x'.repeat(27) }, body: { is_read: true } }))
        .status,
    ).toBe(404);
    const send = 'integrations/{id}/email-messages';
    const mail = { to: [{ email: 'someone@example.org' }], subject: 'Spec' };
    expect(
      (await call('POST', send, { token, params: { id }, body: mail, headers: { 'idempotency-key': 'spec-1' } }))
        .status,
    ).toBe(202);
    expect(
      (
        await call('POST', send, {
          token,
          params: { id },
          body: { ...mail, subject: 'Other' },
          headers: { 'idempotency-key': 'spec-1' },
        })
      ).status,
    ).toBe(422);
    expect((await call('POST', send, { token, params: { id }, body: { to: [] } })).status).toBe(400);
    const huge = {
      ...mail,
      attachments: [{ name: 'a.bin', content_type: 'application/octet-stream', content_base64: 'A'.repeat(2_000_000) }],
    };
    expect((await call('POST', send, { token, params: { id }, body: huge })).status).toBe(202);

    const readOnly = (await stack.connect('spec-reader@contoso.example', 'microsoft_outlook')).body.id as string;
    const readerToken = await stack.callerToken('spec-reader@contoso.example');
    const refused = await call('POST', send, { token: readerToken, params: { id: readOnly }, body: mail });
    expect([refused.status, refused.body.required_scopes]).toEqual([403, ['Mail.ReadWrite', 'Mail.Send']]);
    await simControl(stack.sim, 'POST', 'faults', { status: 429, retry_after_s: 60 });
    // `message` moved to a folder that is not synced: it left the store. The other one is throttled.
    const throttled = await call('PATCH', route, {
      token,
      params: { id, message_id: other!.id },
      body: { is_read: true },
    });
    await simControl(stack.sim, 'DELETE', 'faults');
    expect(throttled.status).toBe(429);
    expect(failures).toEqual([]);
  });

  it('the validator refuses answers that break the document (undeclared status, extra field, wrong type)', () => {
    const ok = {
      status: 404,
      headers: new Headers({ 'content-type': 'application/problem+json' }),
      body: {
        type: 'https://integrato.dev/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: 'No such resource.',
        code: 'not_found',
        request_id: 'r-12345678',
      },
    };
    expect(check('GET', 'integrations/{id}', ok)).toEqual([]);
    expect(check('GET', 'integrations/{id}', { ...ok, status: 418 })).toEqual([
      'GET /integrations/{id} answered 418, which the document does not declare',
    ]);
    expect(check('GET', 'integrations/{id}', { ...ok, body: { ...ok.body, stack: 'at x' } })).not.toEqual([]);
    expect(check('GET', 'integrations/{id}', { ...ok, body: { ...ok.body, code: 'reauth_required' } })).not.toEqual([]);
    expect(check('GET', 'integrations/{id}', { ...ok, headers: new Headers({ 'content-type': 'text/html' }) })).toEqual(
      ['content-type text/html not declared for 404'],
    );
  });

  it('every operation was called, and every authenticated one also answered an error', () => {
    const operations = Object.entries((openApiDocument() as OpenApiDocument).paths!).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ key: `${method} ${path}`, anonymous: op.security?.length === 0 })),
    );
    const statuses = (key: string) => seen.filter((s) => s.op === key).map((s) => s.status);
    for (const { key, anonymous } of operations) {
      expect(
        statuses(key).some((s) => s < 300),
        `${key} succeeded`,
      ).toBe(true);
      if (!anonymous)
        expect(
          statuses(key).some((s) => s >= 400),
          `${key} failed`,
        ).toBe(true);
    }
  });
});
