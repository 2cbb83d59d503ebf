import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarEvents } from '../../functions/calendar-events.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { useSettings } from '../support/settings.js';
import { call, expectProblem, walk, type Params } from './client.js';
import { DAY, HOUR, isoWithOffset } from './generate.js';
import { referenceEvents } from './reference.js';
import { seedWorld, type World } from './world.js';
import { useSeed } from '../support/seed.js';

const SEED = useSeed('test/query/events.test.ts');

describe(`GET /api/integrations/calendar-events (data seed ${SEED})`, () => {
  let azurite: Azurite | undefined;
  let world: World;
  beforeAll(async () => {
    azurite = await startAzurite();
    useSettings({ AzureWebJobsStorage: azurite.connectionString });
    world = await seedWorld(SEED);
  });
  afterAll(async () => azurite?.stop());

  const ids = (results: Record<string, unknown>[]) => results.map((r) => r.id);

  it('answers 50 random queries exactly as the reference computed from the generated data', async () => {
    const { now } = world;
    const monthStarts = Array.from({ length: 12 }, (_, i) =>
      Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - 5 + i, 1),
    );
    const edges = world.events.flatMap((e) => [e.item.startMs, e.item.endMs]);
    const instant = fc.oneof(
      fc.tuple(fc.constantFrom(...monthStarts), fc.integer({ min: -2 * HOUR, max: 2 * HOUR })).map(([m, d]) => m + d),
      fc.tuple(fc.constantFrom(...edges), fc.constantFrom(-1, 0, 1)).map(([e, d]) => e + d),
      fc.integer({ min: now - 160 * DAY, max: now + 160 * DAY }),
    );
    const span = fc.oneof(
      fc.constantFrom(1, HOUR, DAY, 7 * DAY, 7 * DAY + 1, 31 * DAY, 366 * DAY),
      fc.integer({ min: 1, max: 366 * DAY }),
    );
    const window = fc.oneof(
      fc.record({ start: instant, span }).map(({ start, span: s }) => ({ start, end: start + s })),
      // A window that ends on (or next to) an event's start or end.
      fc.record({ end: instant, span }).map(({ end, span: s }) => ({ start: end - s, end })),
      fc.constant({}),
      fc.integer({ min: now - 330 * DAY, max: now + 29 * DAY }).map((start) => ({ start })),
      fc.integer({ min: now - 29 * DAY, max: now + 330 * DAY }).map((end) => ({ end })),
    );
    const query = fc.record({
      user: fc.constantFrom(0, 1),
      window,
      integration: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
      explicitProvider: fc.boolean(),
      offset: fc.constantFrom(0, 120, -330, 345, -600, 60),
      limit: fc.oneof(fc.integer({ min: 5, max: 60 }), fc.constant(500)),
    });
    let nonEmpty = 0;
    let multiPage = 0;
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const user = world.users[q.user] ?? world.users[0];
        const integration =
          q.integration === undefined ? undefined : user.calendars[q.integration % user.calendars.length];
        const w = q.window as { start?: number; end?: number };
        const params: Params = [];
        if (q.explicitProvider) params.push(['provider', 'microsoft_calendar']);
        if (w.start !== undefined) params.push(['start_date', isoWithOffset(w.start, q.offset)]);
        if (w.end !== undefined) params.push(['end_date', isoWithOffset(w.end, -q.offset)]);
        if (integration) params.push(['integration_id', integration.id]);
        const expected = referenceEvents(world, {
          user,
          startMs: w.start,
          endMs: w.end,
          integrationId: integration?.id,
        });
        const { results, pages } = await walk(calendarEvents, user.header, params, q.limit);
        expect(results).toEqual(expected);
        if (expected.length > 0) nonEmpty++;
        if (pages > 1) multiPage++;
        const own = new Set(user.calendars.map((c) => c.id));
        expect(results.every((r) => own.has(String(r.integration_id)))).toBe(true);
      }),
      { numRuns: 50 },
    );
    // The generated queries must exercise something: most find events, some need several pages.
    expect(nonEmpty).toBeGreaterThanOrEqual(25);
    expect(multiPage).toBeGreaterThanOrEqual(5);
  });

  it('walks every page with limit=7, each item exactly once and in order', async () => {
    for (const user of world.users) {
      for (const params of [
        [],
        [
          ['start_date', new Date(world.now - 200 * DAY).toISOString()],
          ['end_date', new Date(world.now + 166 * DAY).toISOString()],
        ],
      ] as Params[]) {
        const { results, pages } = await walk(calendarEvents, user.header, params, 7);
        const expected = referenceEvents(world, {
          user,
          startMs: params.length ? world.now - 200 * DAY : undefined,
          endMs: params.length ? world.now + 166 * DAY : undefined,
        });
        if (params.length) expect(expected.length).toBeGreaterThan(14);
        // The look-ahead row means a last page that is exactly full already says next_cursor: null.
        expect(pages).toBe(Math.ceil(expected.length / 7));
        expect(new Set(ids(results)).size).toBe(results.length);
        expect(results).toEqual(expected);
      }
    }
  });

  it("keeps callers apart: own items only, and another caller's integration_id is a 404", async () => {
    const [a, b] = world.users;
    const wide: Params = [
      ['start_date', new Date(world.now - 200 * DAY).toISOString()],
      ['end_date', new Date(world.now + 166 * DAY).toISOString()],
    ];
    const ofB = await walk(calendarEvents, b.header, wide, 500);
    expect(ofB.results.every((r) => r.integration_id === b.calendars[0]?.id)).toBe(true);
    // The overlap: B holds copies of A's events (same Graph ids), returned as B's own.
    const aExternal = new Set(world.events.filter((e) => e.user === a).map((e) => e.item.externalId));
    expect(ofB.results.some((r) => aExternal.has(String(r.external_id)))).toBe(true);

    for (const [caller, id] of [
      [b, a.calendars[0]?.id],
      [a, b.calendars[0]?.id],
      [a, a.mailboxes[0]?.id],
      [a, randomUUID()],
      [a, 'not-a-uuid'],
    ] as const) {
      expectProblem(await call(calendarEvents, caller.header, [['integration_id', String(id)]]), 404, 'not_found');
    }
  });

  it('binds cursors to the caller and the query; limit may change between pages', async () => {
    const [a, b] = world.users;
    const first = await call(calendarEvents, a.header, [['limit', '3']]);
    const cursor = String((first.body as { next_cursor: string }).next_cursor);
    const second = await call(calendarEvents, a.header, [
      ['limit', '5'],
      ['cursor', cursor],
    ]);
    expect(second.status).toBe(200);
    const expected = referenceEvents(world, { user: a }).slice(3, 8);
    expect(second.body.results).toEqual(expected);
    expectProblem(
      await call(calendarEvents, b.header, [
        ['limit', '3'],
        ['cursor', cursor],
      ]),
      400,
      'validation_failed',
      ['cursor'],
    );
    expectProblem(
      await call(calendarEvents, a.header, [
        ['cursor', cursor],
        ['integration_id', String(a.calendars[0]?.id)],
      ]),
      400,
      'validation_failed',
      ['cursor'],
    );
    expectProblem(
      await call(calendarEvents, a.header, [
        ['cursor', cursor],
        ['start_date', new Date(world.now).toISOString()],
      ]),
      400,
      'validation_failed',
      ['cursor'],
    );
    const flipped = cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
    expectProblem(await call(calendarEvents, a.header, [['cursor', flipped]]), 400, 'validation_failed', ['cursor']);
  });

  it('skips a damaged row (logged) instead of failing, and never returns pointer rows', async () => {
    const [a] = world.users;
    const answer = await call(calendarEvents, a.header, [['limit', '500']]);
    expect(answer.status).toBe(200);
    expect(answer.body.results).toEqual(referenceEvents(world, { user: a }));
    expect(answer.logs.some((line) => line.includes('skipped an unreadable item row'))).toBe(true);
  });
});
