import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphTemplate } from '../../dev/sim/path-template.js';
import type { SimStats } from '../../dev/sim/stats.js';
import { startTestSimulator, type TestSimulator } from '../support/sim.js';

// GET /_sim/stats counts exactly the requests made, by user, path template, status, bytes and grant.
let t: TestSimulator;
let tokenA: string;
let tokenB: string;
const A = 'stats-a@contoso.example';
const B = 'stats-b@contoso.example';
beforeAll(async () => {
  t = await startTestSimulator();
  for (const email of [A, B])
    t.sim.createUser({ email, calendar: { events: 2, recurring_series: 0, all_day: 0 }, mailbox: { messages: 2 } });
  tokenA = await t.sim.graphAccessToken(A);
  tokenB = await t.sim.graphAccessToken(B);
});
beforeEach(async () => {
  await control('DELETE', 'faults');
  expect((await control('DELETE', 'stats')).status).toBe(204);
});
afterAll(() => t.sim.close());

const control = (method: string, path: string, body?: unknown): Promise<Response> =>
  fetch(`${t.sim.baseUrl}/_sim/${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
const stats = async (): Promise<SimStats> => (await (await control('GET', 'stats')).json()) as SimStats;
/** Sends a request and returns the bytes of its answer body. */
async function send(url: string, init: RequestInit = {}): Promise<{ status: number; bytes: number }> {
  const res = await fetch(url, init);
  return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
}
const me = (token?: string) =>
  send(`${t.sim.graphBaseUrl}/v1.0/me`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('simulator stats', () => {
  it('counts requests by user, path template, status, grant, and bytes, and nothing from /_sim', async () => {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: t.settings.MICROSOFT_CLIENT_ID,
      client_secret: t.settings.MICROSOFT_CLIENT_SECRET,
      refresh_token: 'unknown',
    }).toString();
    const answers = [
      await me(tokenA),
      await me(tokenA),
      await me(tokenB),
      await me(),
      await send(`${t.sim.baseUrl}/common/v2.0/.well-known/openid-configuration`),
      await send(`${t.sim.baseUrl}/common/oauth2/v2.0/token`, {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ];
    const s = await stats();
    await stats();
    expect(await stats()).toEqual(s);
    expect(s).toMatchObject({ total_requests: 6, graph_requests: 4, identity_requests: 2 });
    expect(s.by_user).toEqual({ [A]: 2, [B]: 1 });
    expect(s.by_path).toEqual({
      'GET /v1.0/me': 4,
      'GET /{tenant}/v2.0/.well-known/openid-configuration': 1,
      'POST /{tenant}/oauth2/v2.0/token': 1,
    });
    expect(s.by_status).toEqual({ '200': 4, '401': 1, '400': 1 });
    expect(s.token_requests_by_grant).toEqual({ refresh_token: 1 });
    expect(s.bytes_in).toBe(Buffer.byteLength(form));
    expect(s.bytes_out).toBe(answers.reduce((sum, a) => sum + a.bytes, 0));
  });

  it('templates Graph paths: ids become {id}, resource names stay', () => {
    expect(graphTemplate('GET', '/v1.0/me/mailFolders/AAMkAGI2TAAA=/messages/delta')).toBe(
      'GET /v1.0/me/mailFolders/{id}/messages/delta',
    );
    expect(graphTemplate('GET', '/v1.0/users/a@b.example/mailFolders/inbox/messages/delta')).toBe(
      'GET /v1.0/users/{id}/mailFolders/inbox/messages/delta',
    );
    expect(graphTemplate('PATCH', '/v1.0/subscriptions/7f105c7d-2dc5-4530-97cd-4e7ae6534c07')).toBe(
      'PATCH /v1.0/subscriptions/{id}',
    );
    expect(graphTemplate('GET', '/v1.0/me/calendarView/delta')).toBe('GET /v1.0/me/calendarView/delta');
  });

  it('records the most Graph requests of one mailbox in flight at once, per user and overall', async () => {
    await control('POST', 'faults', { latency_ms: 400 });
    await Promise.all([me(tokenA), me(tokenA), me(tokenA), me(tokenB)]);
    await me(tokenB);
    const s = await stats();
    expect(s.max_in_flight_per_mailbox).toEqual({ overall: 3, by_user: { [A]: 3, [B]: 1 } });
  });

  it('counts early retries: a repeat of a throttled request before its Retry-After elapsed', async () => {
    await control('POST', 'faults', { status: 429, next_n: 1, retry_after_s: 0.5 });
    expect((await me(tokenA)).status).toBe(429);
    expect(
      (await send(`${t.sim.graphBaseUrl}/v1.0/me?$select=id`, { headers: { authorization: `Bearer ${tokenA}` } }))
        .status,
    ).toBe(200);
    expect((await me(tokenB)).status).toBe(200);
    expect((await me(tokenA)).status).toBe(200);
    await control('POST', 'faults', { status: 503, next_n: 1, retry_after_s: 0.1 });
    expect((await me(tokenB)).status).toBe(503);
    await new Promise((r) => setTimeout(r, 150));
    expect((await me(tokenB)).status).toBe(200);
    const s = await stats();
    expect(s.early_retries).toBe(1);
    expect(s.early_retries_by_user).toEqual({ [A]: 1 });
  });

  it('resets to zero', async () => {
    await me(tokenA);
    expect((await stats()).total_requests).toBe(1);
    await control('DELETE', 'stats');
    const s = await stats();
    expect(s).toMatchObject({
      total_requests: 0,
      bytes_in: 0,
      bytes_out: 0,
      early_retries: 0,
      by_path: {},
      by_user: {},
    });
  });
});
