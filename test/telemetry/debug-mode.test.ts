import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetRoot } from '../../shared/root.js';
import { QUEUES } from '../../shared/storage/names.js';
import { simControl } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/truth.js';

// Issue 12, item 6: LOG_LEVEL=debug is the integration guide's "debug mode". It shows what a
// support person asks for (each Graph request, each delta page, the OAuth steps, MSAL's own
// lines) and still no secret: the suite-wide secret watch checks every line of this file.

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ settings: { LOG_LEVEL: 'debug', GRAPH_PAGE_SIZE: '5' } });
});
afterAll(async () => {
  await stack?.stop();
});

type Entry = { level: string; msg: string; [field: string]: unknown };
/** The app's structured lines among the host's (`[function] level: {json}`). */
function entries(lines: string[]): Entry[] {
  return lines.flatMap((line) => {
    const at = line.indexOf('{"level"');
    if (at < 0) return [];
    try {
      return [JSON.parse(line.slice(at)) as Entry];
    } catch {
      return [];
    }
  });
}

async function syncedOnce(token: string, id: string, after: string) {
  return waitFor(async () => {
    const body = (await stack.api('GET', `integrations/${id}`, { token })).body;
    return body.last_sync?.status === 'succeeded' && body.last_sync.finished_at > after ? body : undefined;
  }, 60_000);
}

describe('LOG_LEVEL=debug', () => {
  it('a connect and a sync log each Graph request, each delta page and each OAuth step', async () => {
    const email = 'debug-mode@contoso.example';
    stack.user(email, { email, mailbox: { messages: 12 } });
    const from = stack.logs.length;
    const connected = await stack.connect(email, 'microsoft_outlook');
    expect(connected.status).toBe(201);
    const token = await stack.callerToken(email);
    const synced = await syncedOnce(token, connected.body.id, '');
    const seen = entries(stack.logs.slice(from));

    const graph = seen.filter((e) => e.msg === 'graph request');
    expect(graph.length).toBeGreaterThanOrEqual(2); // 12 messages: more than one page
    for (const g of graph) {
      expect(g).toMatchObject({ level: 'debug', method: 'GET', status: 200, invocation_id: expect.any(String) });
      expect(g.path).toMatch(/^\/v1\.0\/me\//);
      expect(g.duration_ms).toEqual(expect.any(Number));
      expect(g.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(g.client_request_id).toEqual(expect.any(String));
    }
    // The follow-up pages' $skiptoken is state: named, never shown.
    const followUps = graph.filter((g) => /token=/i.test(String(g.path)));
    expect(followUps.length).toBeGreaterThan(0);
    for (const g of followUps) expect(g.path).toMatch(/(\$|%24)skiptoken=\[redacted\]/);

    const pages = seen.filter((e) => e.msg === 'delta page');
    expect(pages.length).toBe(graph.filter((g) => /\/delta/.test(String(g.path))).length);
    expect(pages.map((p) => p.checkpoint)).toContain('nextLink');
    expect(pages.at(-1)).toMatchObject({ checkpoint: 'deltaLink', integration_id: connected.body.id });
    expect(synced.last_sync.items_upserted).toBeGreaterThan(0);
    expect(pages.reduce((n, p) => n + Number(p.upserts), 0)).toBe(synced.last_sync.items_upserted);
    expect(seen.find((e) => e.msg === 'stream started')).toMatchObject({ round_kind: 'full', resume: 'initial' });
    expect(seen.find((e) => e.msg === 'stream finished')).toMatchObject({
      pages: pages.length,
      upserted: synced.last_sync.items_upserted,
      checkpoint: 'deltaLink saved',
    });

    expect(seen.find((e) => e.msg === 'oauth sign-in started')).toMatchObject({
      provider: 'microsoft_outlook',
      login_hint: true,
      pkce: 'S256',
    });
    expect(seen.find((e) => e.msg === 'oauth code redeemed')).toMatchObject({
      provider: 'microsoft_outlook',
      has_account: true,
    });
    expect(seen.find((e) => e.msg === 'access token acquired')).toMatchObject({
      integration_id: connected.body.id,
      from_cache: expect.any(Boolean),
    });
    // MSAL's own lines, at debug, PII-free by MSAL's flag and scrubbed by ours (the watch checks).
    expect(seen.filter((e) => e.msg === 'msal' && e.level === 'debug').length).toBeGreaterThan(3);
  });

  it('throttled Graph answers show their status and Retry-After', async () => {
    const email = 'debug-throttled@contoso.example';
    stack.user(email, { email, mailbox: { messages: 40 } });
    await simControl(stack.sim, 'POST', 'faults', { throttle_share: 0.5, retry_after_s: 0.05 });
    const from = stack.logs.length;
    try {
      const connected = await stack.connect(email, 'microsoft_outlook');
      await syncedOnce(await stack.callerToken(email), connected.body.id, '');
    } finally {
      await simControl(stack.sim, 'DELETE', 'faults');
    }
    const throttled = entries(stack.logs.slice(from)).filter((e) => e.msg === 'graph request' && e.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const t of throttled) expect(t).toMatchObject({ retry_after: '0.05', request_id: expect.any(String) });
  });

  it('LOG_LEVEL=warn: the same work logs no debug or info line, and warnings still come through', async () => {
    process.env.LOG_LEVEL = 'warn';
    resetRoot();
    try {
      const email = 'quiet-mode@contoso.example';
      stack.user(email, { email, mailbox: { messages: 6 } });
      const from = stack.logs.length;
      const connected = await stack.connect(email, 'microsoft_outlook');
      await syncedOnce(await stack.callerToken(email), connected.body.id, '');
      // A malformed job: the worker warns and drops it.
      const queue = new QueueClient(stack.azurite.connectionString, QUEUES.syncJobs);
      await queue.sendMessage(Buffer.from(JSON.stringify({ not: 'a job' })).toString('base64'));
      const warned = await waitFor(
        async () => entries(stack.logs.slice(from)).find((e) => e.msg === 'malformed sync job dropped'),
        30_000,
      );
      expect(warned.level).toBe('warn');
      const levels = new Set(entries(stack.logs.slice(from)).map((e) => e.level));
      expect([...levels].sort()).toEqual(['warn']);
      expect(stack.logs.slice(from).some((l) => l.startsWith("Executed 'Functions.syncWorker' (Succeeded"))).toBe(true); // the host's own lines stay
    } finally {
      delete process.env.LOG_LEVEL;
      resetRoot();
    }
  });
});
