import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@microsoft/microsoft-graph-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

// Faults apply to Graph requests only, deterministically for a seed.
let t: TestSimulator;
let tokenA: string;
let tokenB: string;
const A = 'a@contoso.example';
const B = 'b@contoso.example';
beforeAll(async () => {
  t = await startTestSimulator({ seed: 42 });
  for (const email of [A, B])
    t.sim.createUser({ email, calendar: { events: 3, recurring_series: 0, all_day: 0 }, mailbox: { messages: 2 } });
  tokenA = await t.sim.graphAccessToken(A, ['User.Read', 'Calendars.Read', 'Mail.Read']);
  tokenB = await t.sim.graphAccessToken(B, ['User.Read', 'Calendars.Read', 'Mail.Read']);
});
afterEach(() => setFaults(undefined));
afterAll(() => t.sim.close());

async function setFaults(faults: unknown): Promise<Response> {
  return faults === undefined
    ? fetch(`${t.sim.baseUrl}/_sim/faults`, { method: 'DELETE' })
    : fetch(`${t.sim.baseUrl}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
}
const graphGet = (path: string, token = tokenA): Promise<Response> =>
  fetch(path.startsWith('https:') ? path : `${t.sim.graphBaseUrl}/v1.0${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
const statuses = async (n: number): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await graphGet('/me');
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
};

describe('Graph faults', () => {
  it('throttles a share of requests the same way each time for a seed, with the documented 429', async () => {
    expect((await setFaults({ throttle_share: 0.5, retry_after_s: 0.25 })).status).toBe(200);
    const first = await statuses(24);
    await setFaults({ throttle_share: 0.5, retry_after_s: 0.25 });
    expect(await statuses(24)).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(200);

    await setFaults({ throttle_share: 0.5, retry_after_s: 0.25 });
    let throttled: Response | undefined;
    for (let i = 0; i < first.length && !throttled; i++) {
      const res = await graphGet('/me');
      if (res.status === 429) throttled = res;
      else await res.arrayBuffer();
    }
    if (!throttled) throw new Error('no 429 in a sequence that had one');
    expect(throttled.headers.get('retry-after')).toBe('0.25');
    const fixture = JSON.parse(
      readFileSync(fileURLToPath(new URL('../fixtures/graph-examples/throttling-429.json', import.meta.url)), 'utf8'),
    ) as { response: { body: { error: Record<string, unknown> & { innerError: Record<string, unknown> } } } };
    const body = (await throttled.json()) as {
      error: Record<string, unknown> & { innerError: Record<string, unknown> };
    };
    expect(Object.keys(body.error).sort()).toEqual(Object.keys(fixture.response.body.error).sort());
    expect(Object.keys(body.error.innerError).sort()).toEqual(
      Object.keys(fixture.response.body.error.innerError).sort(),
    );
    expect(body.error.code).toBe('TooManyRequests');
  });

  it('answers the next n requests with a status (503 with Retry-After), then recovers; identity is untouched', async () => {
    await setFaults({ status: 503, next_n: 2, retry_after_s: 1.5 });
    const r1 = await graphGet('/me');
    expect(r1.status).toBe(503);
    expect(r1.headers.get('retry-after')).toBe('1.5');
    expect(((await r1.json()) as { error: { code: string } }).error.code).toBeTruthy();
    expect((await graphGet('/me', tokenB)).status).toBe(503);
    expect((await fetch(`${t.sim.baseUrl}/${t.sim.tenantId}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
    expect((await graphGet('/me')).status).toBe(200);

    await setFaults({ status: 500, next_n: 1 });
    const r500 = await graphGet('/me');
    expect(r500.status).toBe(500);
    expect(r500.headers.get('retry-after')).toBeNull();
    expect((await graphGet('/me')).status).toBe(200);
  });

  it('delays each Graph answer by latency_ms', async () => {
    await setFaults({ latency_ms: 400 });
    let started = performance.now();
    expect((await graphGet('/me')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(395);
    await setFaults(undefined);
    started = performance.now();
    await graphGet('/me');
    expect(performance.now() - started).toBeLessThan(395);
  });

  it('refuses requests over the per-mailbox concurrency limit with ApplicationThrottled, per mailbox', async () => {
    await setFaults({ mailbox_concurrency_limit: 2, latency_ms: 400, retry_after_s: 1 });
    const responses = await Promise.all([
      graphGet('/me'),
      graphGet('/me'),
      graphGet('/me'),
      graphGet('/me'),
      graphGet('/me', tokenB),
    ]);
    const forA = responses
      .slice(0, 4)
      .map((r) => r.status)
      .sort();
    expect(forA).toEqual([200, 200, 429, 429]);
    expect(responses[4]?.status).toBe(200);
    const refused = responses.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'ApplicationThrottled',
      message: expect.stringContaining('MailboxConcurrency'),
    });
  });

  it('expires every delta token issued so far', async () => {
    const window = `startDateTime=${new Date(Date.now() - 7 * 86_400_000).toISOString()}&endDateTime=${new Date(Date.now() + 7 * 86_400_000).toISOString()}`;
    let link = `/me/calendarView/delta?${window}`;
    let deltaLink: string | undefined;
    for (let page = 0; page < 50 && !deltaLink; page++) {
      const body = (await (await graphGet(link)).json()) as Record<string, string>;
      deltaLink = body['@odata.deltaLink'];
      link = body['@odata.nextLink'] ?? link;
    }
    expect(deltaLink).toBeTruthy();
    expect((await graphGet(deltaLink!)).status).toBe(200);
    expect((await setFaults({ expire_delta_tokens: true })).status).toBe(200);
    expect((await graphGet(deltaLink!)).status).toBe(410);
  });

  it("lets the Graph SDK's RetryHandler recover from a fractional Retry-After without retrying early", async () => {
    await fetch(`${t.sim.baseUrl}/_sim/stats`, { method: 'DELETE' });
    await setFaults({ status: 429, next_n: 1, retry_after_s: 0.2 });
    const client = Client.init({
      authProvider: (done) => done(null, tokenA),
      baseUrl: `${t.sim.graphBaseUrl}/`,
      customHosts: new Set([new URL(t.sim.graphBaseUrl).hostname]),
    });
    const me = (await client.api('/me').get()) as { id: string };
    expect(me.id).toBe(t.sim.graph.findUser(A)?.id);
    const stats = t.sim.stats();
    expect(stats.by_status).toEqual({ '429': 1, '200': 1 });
    expect(stats.early_retries).toBe(0);
  });

  it('rejects invalid fault settings with 400', async () => {
    for (const bad of [{ throttle_share: 2 }, { next_n: 3 }, { status: 200 }, { latency_ms: -1 }, { surprise: 1 }]) {
      expect((await setFaults(bad)).status).toBe(400);
    }
  });
});
