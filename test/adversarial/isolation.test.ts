import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSeed } from '../support/seed.js';
import { startStack, type Stack } from '../support/stack.js';
import { storedRows } from '../support/truth.js';
import { authenticatedEndpoints, expectProblem, label, pathOf } from './endpoints.js';
import { requestSpec, toRequest, type Spec } from './isolation-requests.js';
import { twoCallers, type Caller } from './two-callers.js';

// Issue 8, point 2: two callers whose Microsoft data overlap. Every endpoint called by one with the
// other's ids answers 404; 10,000 generated requests across all endpoints and both callers give no
// 5xx and not one item of the other caller.

const SEED = useSeed('test/adversarial/isolation.test.ts');
const RUNS = 10_000;
const CONCURRENCY = 16;
let stack: Stack;
let callers: [Caller, Caller];

beforeAll(async () => {
  stack = await startStack();
  callers = await twoCallers(stack);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

/** What the other caller has, to compare before and after the attacks. */
async function footprint(c: Caller) {
  const list = await stack.api('GET', 'integrations', { token: c.token });
  const rows = await Promise.all(
    c.ids.map(async (id) => [
      (await storedRows(stack, 'CalendarEvents', id)).items.length,
      (await storedRows(stack, 'EmailMessages', id)).items.length,
    ]),
  );
  return {
    ids: list.body.results.map((i: { id: string }) => i.id).sort(),
    statuses: list.body.results.map((i: { status: string }) => i.status),
    rows,
  };
}

describe('isolation between two callers with overlapping Microsoft data', () => {
  it('both callers hold the same Graph items under different integration ids', async () => {
    const [a, b] = callers;
    const page = (c: Caller) =>
      stack.api('GET', `integrations/email-messages?integration_id=${c.mailIds[0]}&limit=500`, { token: c.token });
    const [ma, mb] = await Promise.all([page(a), page(b)]);
    expect(ma.body.results.length).toBeGreaterThan(10);
    expect(ma.body.results.map((m: { external_id: string }) => m.external_id).sort()).toEqual(
      mb.body.results.map((m: { external_id: string }) => m.external_id).sort(),
    );
    expect(new Set(a.ids).size + new Set(b.ids).size).toBe(new Set([...a.ids, ...b.ids]).size);
  });

  it("every endpoint called with the other caller's ids answers 404, and the other caller's data is untouched", async () => {
    const [a, b] = callers;
    const before = await footprint(b);
    const {
      body: { state: bState },
    } = await stack.api('POST', 'integrations/oauth/initiate', {
      token: b.token,
      body: { provider: 'microsoft_calendar' },
    });
    // Endpoints without an id in the route take the other's ids where they take ids at all.
    const withoutRouteId: Record<
      string,
      (id: string) => { method: string; path: string; body?: unknown; status: number; code?: string }[]
    > = {
      calendarEvents: (id) => [
        { method: 'GET', path: `integrations/calendar-events?integration_id=${id}`, status: 404, code: 'not_found' },
      ],
      emailMessages: (id) => [
        { method: 'GET', path: `integrations/email-messages?integration_id=${id}`, status: 404, code: 'not_found' },
      ],
      freeBusy: (id) => [
        { method: 'GET', path: `integrations/free-busy?integration_id=${id}`, status: 404, code: 'not_found' },
      ],
      oauthCallback: () => [
        {
          method: 'POST',
          path: 'integrations/oauth/callback',
          body: { provider: 'microsoft_calendar', state: bState, code: 'stolen' },
          status: 400,
          code: 'invalid_state',
        },
      ],
      integrationsList: () => [], // takes no id: its answer is checked below
      oauthInitiate: () => [], // takes no id
    };
    let probes = 0;
    for (const endpoint of authenticatedEndpoints) {
      for (const id of [...b.ids, b.ids[0]!.toUpperCase()]) {
        if (endpoint.params.length) {
          const body = endpoint.method === 'POST' ? { sync_type: 'full' } : undefined;
          expectProblem(
            await stack.api(
              endpoint.method,
              pathOf(endpoint, () => id),
              { token: a.token, body },
            ),
            404,
            'not_found',
            `${label(endpoint)} ${id}`,
          );
          probes++;
          continue;
        }
        const cases = withoutRouteId[endpoint.fn.name];
        expect(cases, `${label(endpoint)} needs an isolation probe`).toBeDefined();
        for (const c of cases!(id)) {
          expectProblem(
            await stack.api(c.method, c.path, { token: a.token, body: c.body }),
            c.status,
            c.code,
            `${label(endpoint)} ${id}`,
          );
          probes++;
        }
      }
    }
    // Every route with {id} (integration, its DELETE, sync, the writes…), 3 integration_id filters (free/busy too), the state.
    const routed = authenticatedEndpoints.filter((e) => e.params.length > 0).length;
    expect(routed).toBeGreaterThanOrEqual(5);
    expect(probes).toBe((routed + 4) * (b.ids.length + 1));
    const list = await stack.api('GET', 'integrations', { token: a.token });
    expect(list.body.results.map((i: { id: string }) => i.id).sort()).toEqual([...a.ids].sort());
    expect(await footprint(b)).toEqual(before);
    // The stolen state is still B's to use: A's attempt did not consume it.
    const own = await stack.api('POST', 'integrations/oauth/callback', {
      token: b.token,
      body: { provider: 'microsoft_calendar', state: bState, code: 'not-a-code' },
    });
    expect(own.body.code).toBe('oauth_exchange_failed');
  });

  it(`${RUNS} generated requests (seed ${SEED}): no 5xx, never an item or integration of the other caller`, async () => {
    const before = await Promise.all(callers.map(footprint));
    const specs = fc.sample(requestSpec, { numRuns: RUNS, seed: SEED });
    const randomIds = Array.from({ length: 20 }, () => randomUUID());
    const cursors: string[] = [];
    const seen = { items: [0, 0], statuses: new Map<number, number>(), foreignCursors: 0, busy: 0 };
    const started = Date.now();

    const run = async (spec: Spec) => {
      const me = callers[spec.who];
      const mine = new Set(me.ids);
      const request = toRequest(callers, spec, randomIds, cursors);
      const res = await stack.api(request.method, request.path, { token: me.token, body: request.body });
      const what = `${JSON.stringify(spec)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      seen.statuses.set(res.status, (seen.statuses.get(res.status) ?? 0) + 1);
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) expectProblem(res, res.status, undefined, what);
      // Another's (or no one's) id: 404 — for a query, 400 when another parameter is bad first.
      if ('idStyle' in spec && spec.idStyle !== 'own' && spec.id !== null) {
        const query = spec.kind === 'events' || spec.kind === 'messages' || spec.kind === 'freebusy';
        expect(query ? [400, 404] : [404], what).toContain(res.status);
      }
      if (res.status >= 300) return;
      if (spec.kind === 'freebusy') {
        expect(Array.isArray(res.body?.busy), what).toBe(true);
        seen.busy++;
        return;
      }
      if (Array.isArray(res.body?.results)) {
        for (const item of res.body.results) expect(mine.has(item.integration_id ?? item.id), what).toBe(true);
        seen.items[spec.who]! += res.body.results.length;
        if (res.body.next_cursor) cursors.push(res.body.next_cursor);
      } else if (res.body?.id) {
        expect(mine.has(res.body.id), what).toBe(true);
      }
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < specs.length) await run(specs[next++]!);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    console.info(
      `isolation fuzz: ${RUNS} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(seen.statuses))}; items seen A=${seen.items[0]} B=${seen.items[1]}; cursors issued ${cursors.length}`,
    );
    expect(seen.items[0]).toBeGreaterThan(1000);
    expect(seen.items[1]).toBeGreaterThan(1000);
    expect(seen.statuses.get(404)).toBeGreaterThan(1000);
    expect(cursors.length).toBeGreaterThan(100);
    expect(seen.busy).toBeGreaterThan(200);
    const after = await Promise.all(callers.map(footprint));
    expect(after.map((f) => f.ids)).toEqual(before.map((f) => f.ids));
    expect(after.map((f) => f.rows)).toEqual(before.map((f) => f.rows));
  }, 180_000);
});
