import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SEND_BODY_BYTES } from '../../shared/writes/mail/requests.js';
import { startStack, type Stack } from '../support/stack.js';
import { authenticatedEndpoints, expectProblem, label, pathOf, type Endpoint } from './endpoints.js';
import {
  DEEP_JSON,
  FOREIGN_PARAMS,
  HOSTILE_STRINGS,
  INJECTIONS,
  MALFORMED_JSON,
  WRONG_CONTENT_TYPES,
  WRONG_QUERY_VALUES,
  WRONG_SHAPES,
  WRONG_TYPES,
} from './hostile-values.js';
import {
  allMessages,
  expectSafe,
  inParallel,
  matches,
  queryParams,
  raw,
  seedTermMessages,
  type ListedMessage,
} from './input-support.js';
import { twoCallers, type Caller } from './two-callers.js';

// Issue 8, point 3: every parameter of every endpoint fuzzed with malformed JSON, wrong types,
// huge bodies, unicode edge cases and injection strings → 4xx problem+json, never a 5xx, never
// another caller's data; a search term like `x' or PartitionKey ne '` never widens a query.

/**
 * The JSON body of each endpoint that takes one (by function name): a valid body whose every field
 * is attacked. Query parameters need no list: each GET endpoint names its own when given an
 * unknown one (strictQuery's 400 lists them), so a parameter added later is attacked too.
 */
const BODY: Record<string, Record<string, unknown>> = {
  oauthInitiate: {
    provider: 'microsoft_calendar',
    redirect_uri: 'https://app.example/oauth/callback',
    login_hint: 'a@contoso.example',
  },
  oauthCallback: { provider: 'microsoft_calendar', state: 'a'.repeat(43), code: 'code' },
  integrationSync: { sync_type: 'full' },
  emailMessageSend: { to: [{ email: 'a@contoso.example', name: 'A' }], subject: 's', body: 'b', body_type: 'text' },
};
/** Endpoints whose body may be larger than 64 KiB (the send: 25 MB of attachments in base64). */
const BODY_LIMIT: Record<string, number> = { emailMessageSend: MAX_SEND_BODY_BYTES };

let stack: Stack;
let alice: Caller;
let bob: Caller;
beforeAll(async () => {
  stack = await startStack();
  [alice, bob] = await twoCallers(stack, { events: 8, messages: 10 });
  await seedTermMessages(stack, alice, HOSTILE_STRINGS, 'alice');
  await seedTermMessages(stack, bob, HOSTILE_STRINGS, 'bob');
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const endpointPath = (e: Endpoint) => pathOf(e, () => alice.calendarIds[0]!);

describe('hostile input on every endpoint', () => {
  it('every endpoint taking a body has it described here; every GET endpoint names its query parameters', async () => {
    for (const e of authenticatedEndpoints.filter((x) => x.method === 'POST'))
      expect(e.fn.name in BODY, `${label(e)} is not fuzzed`).toBe(true);
    const known = await Promise.all(
      authenticatedEndpoints
        .filter((x) => x.method === 'GET')
        .map((e) => queryParams(stack, endpointPath(e), alice.token)),
    );
    expect(known.flat()).toEqual(
      expect.arrayContaining([
        'provider',
        'start_date',
        'end_date',
        'integration_id',
        'is_read',
        'search',
        'importance',
        'received_after',
        'received_before',
        'limit',
        'cursor',
      ]),
    );
  });

  it('hostile, wrong-typed, repeated and unknown query parameters', async () => {
    const requests: { path: string; what: string; status?: number }[] = [];
    for (const e of authenticatedEndpoints.filter((x) => x.method === 'GET')) {
      // Endpoints that read their query refuse anything unknown or repeated; the others ignore it.
      const names = await queryParams(stack, endpointPath(e), alice.token);
      for (const name of [...names, ...FOREIGN_PARAMS]) {
        for (const value of [...HOSTILE_STRINGS, ...WRONG_QUERY_VALUES, alice.ids[0]!.replace(/-/g, "'")]) {
          requests.push({
            path: `${endpointPath(e)}?${new URLSearchParams([[name, value]])}`,
            what: `${label(e)} ${name}=${JSON.stringify(value.slice(0, 40))}`,
          });
        }
        // A repeated key reaches the app comma-joined (the Functions host joins them, as ASP.NET does).
        requests.push({ path: `${endpointPath(e)}?${name}=a&${name}=b`, what: `${label(e)} ${name} twice` });
        requests.push({
          path: `${endpointPath(e)}?${name}=%ED%A0%80%FF%C0%AF`,
          what: `${label(e)} ${name}=invalid UTF-8`,
        });
        requests.push({
          path: `${endpointPath(e)}?${name}[]=x&${name}[$ne]=1`,
          what: `${label(e)} ${name}[] array syntax`,
          status: names.length ? 400 : 200,
        });
      }
    }
    expect(requests.length).toBeGreaterThan(1000);
    await inParallel(requests, async ({ path, what, status }) => {
      const res = await raw(stack, 'GET', path, { token: alice.token });
      expectSafe(res, alice, what);
      if (status) expect(res.status, what).toBe(status);
    });
  });

  it('search with injection or unicode returns exactly the caller’s own matches, never more', async () => {
    const [mine, theirs] = await Promise.all([allMessages(stack, alice), allMessages(stack, bob)]);
    for (const term of HOSTILE_STRINGS.filter((t) => [...t].length <= 200)) {
      const sent = new URLSearchParams(new URLSearchParams([['search', term]]).toString()).get('search')!;
      const res = await stack.api(
        'GET',
        `integrations/email-messages?limit=500&${new URLSearchParams([['search', term]])}`,
        { token: alice.token },
      );
      expect(res.status, term).toBe(200);
      const got: string[] = res.body.results.map((m: ListedMessage) => m.id).sort();
      expect(got, JSON.stringify(term)).toEqual(
        mine
          .filter((m) => matches(m, sent))
          .map((m) => m.id)
          .sort(),
      );
      expect(
        res.body.results.every((m: ListedMessage) => alice.ids.includes(m.integration_id)),
        term,
      ).toBe(true);
      // The other caller holds the same kind of row for every term: it must never come back.
      expect(theirs.filter((m) => matches(m, sent)).some((m) => got.includes(m.id))).toBe(false);
    }
    const widened = await stack.api(
      'GET',
      `integrations/email-messages?limit=500&search=${encodeURIComponent(INJECTIONS[0]!)}`,
      { token: alice.token },
    );
    expect(widened.body.results.length).toBe(alice.mailIds.length); // one seeded row per mailbox
  });

  it('hostile ids in the route answer 404 and remove nothing', async () => {
    const ids = [
      ...HOSTILE_STRINGS,
      ...WRONG_QUERY_VALUES.filter(Boolean),
      bob.ids[0]!,
      `${alice.ids[0]}' or ''='`,
      `${alice.ids[0]}\u0000`,
      alice.ids[0]!.replace(/-/g, ''),
    ];
    const routed = authenticatedEndpoints.filter((e) => e.params.length > 0);
    await inParallel(
      routed.flatMap((e) => ids.map((id) => ({ e, id }))),
      async ({ e, id }) => {
        const body = e.method === 'POST' ? { sync_type: 'full' } : undefined;
        const res = await stack.api(
          e.method,
          pathOf(e, () => id),
          { token: alice.token, body },
        );
        expectSafe(res, alice, `${label(e)} id=${JSON.stringify(id.slice(0, 40))}`);
        expect(res.status, `${label(e)} id=${JSON.stringify(id.slice(0, 40))}`).toBe(404);
      },
    );
    const list = await stack.api('GET', 'integrations', { token: alice.token });
    expect(list.body.results.map((i: { id: string }) => i.id).sort()).toEqual([...alice.ids].sort());
  });

  it('JSON bodies: malformed, wrong shapes, wrong types and hostile strings in every field', async () => {
    const requests: { e: Endpoint; body: string | Buffer; what: string; expect?: [number, string] }[] = [];
    for (const e of authenticatedEndpoints.filter((x) => x.fn.name in BODY)) {
      const base = BODY[e.fn.name]!;
      for (const body of MALFORMED_JSON)
        requests.push({
          e,
          body,
          what: `${label(e)} malformed ${String(body).slice(0, 30)}`,
          expect: [400, 'invalid_json'],
        });
      requests.push({
        e,
        body: DEEP_JSON,
        what: `${label(e)} 30,000 nested arrays`,
        expect: [400, 'validation_failed'],
      });
      for (const shape of WRONG_SHAPES)
        requests.push({
          e,
          body: JSON.stringify(shape),
          what: `${label(e)} shape ${JSON.stringify(shape)}`,
          expect: [400, 'validation_failed'],
        });
      for (const key of ['__proto__', 'constructor', 'prototype', 'user_key', 'userKey']) {
        requests.push({
          e,
          body: `{${JSON.stringify(key)}:{"polluted":true},${JSON.stringify(base).slice(1)}`,
          what: `${label(e)} extra ${key}`,
          expect: [400, 'validation_failed'],
        });
      }
      for (const field of Object.keys(base)) {
        for (const value of WRONG_TYPES)
          requests.push({
            e,
            body: JSON.stringify({ ...base, [field]: value }),
            what: `${label(e)} ${field}=${JSON.stringify(value)}`,
            expect: [400, 'validation_failed'],
          });
        for (const value of HOSTILE_STRINGS)
          requests.push({
            e,
            body: JSON.stringify({ ...base, [field]: value }),
            what: `${label(e)} ${field}=${JSON.stringify(value.slice(0, 40))}`,
          });
      }
    }
    await inParallel(requests, async ({ e, body, what, expect: expected }) => {
      const res = await raw(stack, 'POST', endpointPath(e), { token: alice.token, body, type: 'application/json' });
      expectSafe(res, alice, what);
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      if (expected) expectProblem(res, expected[0], expected[1], what);
    });
  });

  it('wrong content types are 415; bodies over 1 MiB are 413, declared or chunked', async () => {
    const posts = authenticatedEndpoints.filter((x) => x.fn.name in BODY);
    for (const e of posts) {
      const json = JSON.stringify(BODY[e.fn.name]);
      for (const type of WRONG_CONTENT_TYPES)
        expectProblem(
          await raw(stack, 'POST', endpointPath(e), { token: alice.token, body: json, type }),
          415,
          'unsupported_media_type',
          `${label(e)} ${type}`,
        );
      expectProblem(
        await raw(stack, 'POST', endpointPath(e), { token: alice.token, body: json }),
        415,
        'unsupported_media_type',
        `${label(e)} no type`,
      );
      // Over the endpoint's limit: 1.5 MiB for the 64 KiB bodies, 1 MiB past it for a larger one.
      const over = BODY_LIMIT[e.fn.name] ? BODY_LIMIT[e.fn.name]! + 1024 * 1024 : 1.5 * 1024 * 1024;
      const huge = JSON.stringify({ ...BODY[e.fn.name], pad: 'x'.repeat(over) });
      expectProblem(
        await raw(stack, 'POST', endpointPath(e), { token: alice.token, body: huge, type: 'application/json' }),
        413,
        'payload_too_large',
        `${label(e)} 1.5 MiB`,
      );
      expectProblem(
        await raw(stack, 'POST', endpointPath(e), {
          token: alice.token,
          body: 'x'.repeat(5 * 1024 * 1024),
          type: 'application/json',
        }),
        413,
        'payload_too_large',
        `${label(e)} 5 MiB`,
      );
      const chunkCount = BODY_LIMIT[e.fn.name] ? Math.ceil(BODY_LIMIT[e.fn.name]! / (64 * 1024)) + 32 : 32;
      const chunks = Array.from({ length: chunkCount }, () => new TextEncoder().encode('x'.repeat(64 * 1024)));
      const stream = new ReadableStream({ pull: (c) => void (chunks.length ? c.enqueue(chunks.pop()) : c.close()) });
      expectProblem(
        await raw(stack, 'POST', endpointPath(e), { token: alice.token, body: stream, type: 'application/json' }),
        413,
        'payload_too_large',
        `${label(e)} 2 MiB chunked`,
      );
    }
  });

  it('an x-request-id that is not a safe token is replaced, never echoed', async () => {
    for (const id of [
      '<script>alert(1)</script>',
      'a b c d e f',
      '../../x/../y',
      'x'.repeat(200),
      'abc;def=ghi',
      '%0d%0aX-Injected:%201',
      'short',
    ]) {
      const res = await raw(stack, 'GET', 'integrations', { token: alice.token, headers: { 'x-request-id': id } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{8,128}$/);
      expect(res.headers.get('x-request-id')).not.toBe(id);
    }
  });

  // Fails today (see the report): a code holding a lone surrogate makes MSAL's form encoding throw a
  // URIError, which connect.ts maps to 503 "Microsoft could not be reached" — bad input as a 5xx.
  it('the OAuth callback with a live state and a hostile code is a 400 (not a code, or refused by Microsoft), echoing nothing', async () => {
    const wrong: string[] = [];
    // One caller per string: a caller's pending sign-ins are capped, and a code refused before
    // Microsoft is asked leaves its state pending.
    await inParallel(
      HOSTILE_STRINGS.map((code, i) => ({ code, i })),
      async ({ code, i }) => {
        const token = await stack.callerToken(`hostile-code-${i}@contoso.example`);
        const started = await stack.api('POST', 'integrations/oauth/initiate', {
          token,
          body: { provider: 'microsoft_outlook' },
        });
        expect(started.status).toBe(200);
        const res = await stack.api('POST', 'integrations/oauth/callback', {
          token,
          body: { provider: 'microsoft_outlook', state: started.body.state, code },
        });
        // A string that cannot be an authorization code is refused before Microsoft is asked; a
        // plausible one is refused by Microsoft. Either way: a 400 with a fixed text.
        const notACode =
          res.body.code === 'validation_failed' && res.body.errors?.some((e: { field: string }) => e.field === 'code');
        const refused =
          res.body.code === 'oauth_exchange_failed' &&
          /^Microsoft refused the authorization code( \(AADSTS\d+\))?\.$/.test(res.body.detail);
        const ok = res.status === 400 && (notACode || refused);
        if (!ok)
          wrong.push(`${JSON.stringify(code.slice(0, 40))} → ${res.status} ${res.body.code}: ${res.body.detail}`);
        else expectSafe(res, alice, JSON.stringify(code.slice(0, 40)));
      },
      4,
    );
    expect(wrong).toEqual([]);
  });
});
