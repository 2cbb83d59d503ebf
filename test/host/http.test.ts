import { HttpResponse, type HttpRequest } from '@azure/functions';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../dev/host/host.js';
import type { FunctionDefinition } from '../../shared/functions/definitions.js';

const repoHostJson = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'host.json');
const MiB = 1024 * 1024;

describe('local host: HTTP', () => {
  const lines: string[] = [];
  let host: RunningHost;
  let uploads = 0;
  const api = (path: string) => `${host.url}/api/${path}`;

  const definitions: FunctionDefinition[] = [
    // Registered before the literal route on purpose: precedence must not depend on order.
    {
      kind: 'http',
      name: 'getIntegration',
      route: 'integrations/{id}',
      methods: ['GET', 'DELETE'],
      handler: (req) => ({ jsonBody: { which: 'param', id: req.params.id, method: req.method } }),
    },
    {
      kind: 'http',
      name: 'calendarEvents',
      route: 'integrations/calendar-events',
      methods: ['GET'],
      handler: () => ({ jsonBody: { which: 'literal' } }),
    },
    {
      kind: 'http',
      name: 'echo',
      route: 'echo/{name}/{extra?}',
      methods: ['POST', 'PUT'],
      handler: async (req: HttpRequest) => ({
        status: 201,
        headers: { 'X-Echo': 'yes' },
        jsonBody: {
          params: req.params,
          query: Object.fromEntries(req.query),
          body: await req.json(),
          contentType: req.headers.get('content-type'),
          url: req.url,
        },
      }),
    },
    {
      kind: 'http',
      name: 'upload',
      route: 'upload',
      methods: ['POST'],
      handler: async (req) => (uploads++, { jsonBody: { bytes: (await req.arrayBuffer()).byteLength } }),
    },
    {
      kind: 'http',
      name: 'boom',
      route: 'boom',
      methods: ['GET'],
      handler: () => {
        throw new Error('db password=hunter2 at /srv/app/secret.ts:12');
      },
    },
    {
      kind: 'http',
      name: 'cookies',
      route: 'cookies',
      methods: ['GET'],
      handler: () =>
        new HttpResponse({
          status: 200,
          body: 'plain text',
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
          cookies: [
            { name: 'sid', value: 'abc', path: '/', httpOnly: true, secure: true, sameSite: 'Lax', maxAge: 60 },
          ],
        }),
    },
    {
      kind: 'http',
      name: 'stream',
      route: 'stream',
      methods: ['GET'],
      handler: () => ({ body: Readable.from([Buffer.from('chunk-1;'), Buffer.from('chunk-2')]) }),
    },
    {
      kind: 'http',
      name: 'bytes',
      route: 'bytes',
      methods: ['GET'],
      handler: () => ({ body: Buffer.from([0, 1, 2, 255]), headers: { 'Content-Type': 'application/octet-stream' } }),
    },
    {
      kind: 'http',
      name: 'badHeader',
      route: 'bad-header',
      methods: ['GET'],
      handler: () => ({ headers: { 'X-Bad': 'line\nbreak' } }),
    },
    { kind: 'http', name: 'badStatus', route: 'bad-status', methods: ['GET'], handler: () => ({ status: 1000 }) },
    { kind: 'http', name: 'noContent', route: 'nothing', methods: ['POST'], handler: () => ({ status: 204 }) },
  ];

  beforeAll(async () => {
    host = await startHost({ definitions, port: 0, hostJsonPath: repoHostJson, env: {}, log: (l) => lines.push(l) });
  });
  afterAll(() => host.stop());

  it('prefers a literal segment over a parameter, whatever the registration order', async () => {
    expect(await (await fetch(api('integrations/calendar-events'))).json()).toEqual({ which: 'literal' });
    expect(await (await fetch(api('integrations/i-42'))).json()).toEqual({ which: 'param', id: 'i-42', method: 'GET' });
    expect(await (await fetch(api('Integrations/Calendar-Events'))).json()).toEqual({ which: 'literal' });
    // The literal route only has GET; DELETE of the same path falls to the parameter route.
    expect(await (await fetch(api('integrations/calendar-events'), { method: 'DELETE' })).json()).toMatchObject({
      which: 'param',
      id: 'calendar-events',
      method: 'DELETE',
    });
  });

  it('passes route params (decoded, optional ones too), the query and a JSON body', async () => {
    const res = await fetch(api('echo/caf%C3%A9/more?a=1&b=two&a=3'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ provider: 'microsoft_calendar' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-echo')).toBe('yes');
    expect(res.headers.get('content-type')).toBe('application/json');
    const echoed = (await res.json()) as Record<string, unknown>;
    expect(echoed).toMatchObject({
      params: { name: 'café', extra: 'more' },
      query: { a: '1,3', b: 'two' },
      body: { provider: 'microsoft_calendar' },
      contentType: 'application/json',
    });
    expect(new URL(String(echoed.url)).pathname).toBe('/api/echo/caf%C3%A9/more');
    const withoutOptional = await fetch(api('echo/x'), { method: 'PUT', body: '[1]' });
    expect(await withoutOptional.json()).toMatchObject({ params: { name: 'x' }, body: [1] });
  });

  it('answers 404 problem+json when no route matches', async () => {
    for (const path of [api('nope'), api('integrations/a/b'), `${host.url}/integrations/calendar-events`]) {
      const res = await fetch(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 404, code: 'not_found', request_id: expect.any(String) });
    }
  });

  it('answers 405 problem+json with Allow when the route exists but not the method', async () => {
    const res = await fetch(api('echo/x'), { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, PUT');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
  });

  it('cuts off bodies over 4 MiB with 413 before the handler runs, declared or chunked', async () => {
    const ok = await fetch(api('upload'), { method: 'POST', body: Buffer.alloc(4 * MiB) });
    expect(await ok.json()).toEqual({ bytes: 4 * MiB });
    const before = uploads;

    const declared = await fetch(api('upload'), { method: 'POST', body: Buffer.alloc(4 * MiB + 1) });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('content-type')).toBe('application/problem+json');
    expect(await declared.json()).toMatchObject({ status: 413, code: 'payload_too_large' });

    const chunks = Array.from({ length: 6 }, () => new Uint8Array(MiB));
    const chunked = await fetch(api('upload'), {
      method: 'POST',
      body: Readable.toWeb(Readable.from(chunks)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(uploads).toBe(before);
  });

  it('turns a throwing handler into 500 problem+json without internals, and logs it as Failed', async () => {
    const res = await fetch(api('boom'));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const text = await res.text();
    expect(text).not.toMatch(/hunter2|secret\.ts|at /);
    const problem = JSON.parse(text) as { code: string; request_id: string };
    expect(problem.code).toBe('internal_error');
    const line = lines.find((l) => l.includes(problem.request_id));
    expect(line).toMatch(
      /^Executed 'Functions\.boom' \(Failed, Status=500, Error=Error, Id=[0-9a-f-]{36}, Duration=\d+ms\)$/,
    );
    expect(line).not.toContain('hunter2');
  });

  it('writes HttpResponse headers, cookies, text, bytes and streamed bodies; 204 has no body', async () => {
    const res = await fetch(api('cookies'));
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.getSetCookie()).toEqual(['sid=abc; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Lax']);
    expect(await res.text()).toBe('plain text');
    expect(await (await fetch(api('stream'))).text()).toBe('chunk-1;chunk-2');
    const bytes = await fetch(api('bytes'));
    expect(bytes.headers.get('content-length')).toBe('4');
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const empty = await fetch(api('nothing'), { method: 'POST' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('answers 500 problem+json when the returned response cannot be written (bad status or header)', async () => {
    for (const path of ['bad-header', 'bad-status']) {
      const res = await fetch(api(path));
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ code: 'internal_error' });
      expect(res.headers.get('x-bad')).toBeNull();
    }
  });

  it('logs one line per invocation with name, id, duration and status, never the query or headers', async () => {
    const secretQuery = 'code=M.C507_BAY.2.U.auth-code-value&state=opaque-state&search=zebraquokka-term';
    const res = await fetch(api(`integrations/i-77?${secretQuery}`), {
      headers: { Authorization: 'Bearer eyJ.secret.jwt' },
    });
    expect(res.status).toBe(200);
    const mine = lines.filter((l) => l.startsWith("Executed 'Functions.getIntegration'"));
    expect(mine.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain('auth-code-value');
      expect(line).not.toContain('opaque-state');
      expect(line).not.toContain('zebraquokka-term'); // search terms are the caller's data (issue 19, finding 8)
      expect(line).not.toContain('eyJ.secret.jwt');
    }
    expect(mine.at(-1)).toMatch(
      /^Executed 'Functions\.getIntegration' \(Succeeded, Status=200, Id=[0-9a-f-]{36}, Duration=\d+ms\)$/,
    );
    const ids = lines.map((l) => /Id=([0-9a-f-]{36})/.exec(l)?.[1]).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
