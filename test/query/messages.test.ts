import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailMessages } from '../../functions/email-messages.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { useSettings } from '../support/settings.js';
import { call, expectProblem, walk, type Params } from './client.js';
import { DAY, isoWithOffset } from './generate.js';
import { referenceMessages } from './reference.js';
import { INJECTION, seedWorld, type World } from './world.js';
import { useSeed } from '../support/seed.js';

const SEED = useSeed('test/query/messages.test.ts');
const TERMS = [
  'café',
  'CAFÉ',
  'Cafe\u0301',
  'strasse',
  'STRASSE',
  'Straße',
  'GROSS',
  '日本',
  'résumé',
  'zoë',
  'EXAMPLE.DE',
  INJECTION,
  'no such text',
];

describe(`GET /api/integrations/email-messages (data seed ${SEED})`, () => {
  let azurite: Azurite | undefined;
  let world: World;
  beforeAll(async () => {
    azurite = await startAzurite();
    useSettings({ AzureWebJobsStorage: azurite.connectionString });
    world = await seedWorld(SEED);
  });
  afterAll(async () => azurite?.stop());

  it('answers 50 random queries exactly as the reference computed from the generated data', async () => {
    const { now } = world;
    const fields = world.messages
      .flatMap(({ item: m }) => [m.subject, m.bodyPreview, m.from?.name ?? '', m.from?.email ?? ''])
      .filter((t) => t.length > 0);
    const substring = fc
      .tuple(fc.constantFrom(...fields), fc.nat(), fc.integer({ min: 1, max: 8 }))
      .map(([text, at, length]) => {
        const chars = [...text];
        const start = at % chars.length;
        return chars.slice(start, start + length).join('');
      });
    const times = world.messages.map((m) => m.item.receivedMs);
    const instant = fc.oneof(
      fc.tuple(fc.constantFrom(...times), fc.constantFrom(-1, 0, 1)).map(([t, d]) => t + d),
      fc.integer({ min: now - 210 * DAY, max: now + DAY }),
    );
    // Each filter is left out two times in three, so that combined filters still find something.
    const sometimes = <T>(arb: fc.Arbitrary<T>) =>
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb, weight: 1 });
    const query = fc.record({
      user: fc.constantFrom(0, 1),
      integration: sometimes(fc.nat({ max: 3 })),
      explicitProvider: fc.boolean(),
      isRead: sometimes(fc.boolean()),
      importance: sometimes(fc.constantFrom('low', 'normal', 'high')),
      search: sometimes(fc.oneof(fc.constantFrom(...TERMS), substring)),
      after: sometimes(instant),
      before: sometimes(instant),
      offset: fc.constantFrom(0, 120, -330, 345),
      limit: fc.oneof(fc.integer({ min: 3, max: 40 }), fc.constant(500)),
    });
    let nonEmpty = 0;
    let multiPage = 0;
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const user = world.users[q.user] ?? world.users[0];
        const integration =
          q.integration === undefined ? undefined : user.mailboxes[q.integration % user.mailboxes.length];
        // An empty time range is a 400 (tested elsewhere): keep the bounds in order here.
        const [after, before] =
          q.after !== undefined && q.before !== undefined && q.before <= q.after
            ? [q.before, q.after + 1]
            : [q.after, q.before];
        const params: Params = [];
        if (q.explicitProvider) params.push(['provider', 'microsoft_outlook']);
        if (integration) params.push(['integration_id', integration.id.toUpperCase()]);
        if (q.isRead !== undefined) params.push(['is_read', String(q.isRead)]);
        if (q.importance !== undefined) params.push(['importance', q.importance]);
        if (q.search !== undefined) params.push(['search', q.search]);
        if (after !== undefined) params.push(['received_after', isoWithOffset(after, q.offset)]);
        if (before !== undefined) params.push(['received_before', isoWithOffset(before, -q.offset)]);
        const expected = referenceMessages(world, {
          user,
          integrationId: integration?.id,
          isRead: q.isRead,
          importance: q.importance,
          search: q.search,
          receivedAfter: after,
          receivedBefore: before,
        });
        const { results, pages } = await walk(emailMessages, user.header, params, q.limit);
        expect(results).toEqual(expected);
        const own = new Set(user.mailboxes.map((m) => m.id));
        expect(results.every((r) => own.has(String(r.integration_id)))).toBe(true);
        if (expected.length > 0) nonEmpty++;
        if (pages > 1) multiPage++;
      }),
      { numRuns: 50 },
    );
    expect(nonEmpty).toBeGreaterThanOrEqual(20);
    expect(multiPage).toBeGreaterThanOrEqual(3);
  });

  it('walks every page with limit=7, each item exactly once and in order', async () => {
    const [a, b] = world.users;
    for (const [user, params, filter] of [
      [a, [], {}],
      [a, [['is_read', 'false']], { isRead: false }],
      [b, [['search', 'CAF']], { search: 'CAF' }],
    ] as const) {
      const expected = referenceMessages(world, { user, ...filter });
      expect(expected.length).toBeGreaterThan(7);
      const { results, pages } = await walk(emailMessages, user.header, [...params] as Params, 7);
      expect(pages).toBe(Math.ceil(expected.length / 7));
      expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
      expect(results).toEqual(expected);
    }
  });

  it('folds case the Unicode way: ß = ss, composed = decomposed, É = é, in the term and the text', async () => {
    const [a] = world.users;
    const subjects = async (term: string) => {
      const { results } = await walk(emailMessages, a.header, [['search', term]], 500);
      expect(results).toEqual(referenceMessages(world, { user: a, search: term }));
      return results.map((r) => `${String(r.subject)} ${JSON.stringify(r.from)}`);
    };
    const sharpS = await subjects('Straße');
    expect(sharpS.some((s) => s.includes('STRASSE'))).toBe(true);
    expect(sharpS.some((s) => s.includes('Straße'))).toBe(true);
    expect(await subjects('STRASSE')).toEqual(sharpS);
    const decomposed = await subjects('CAFE\u0301');
    expect(decomposed.some((s) => s.includes('Café'))).toBe(true);
    expect(await subjects('café')).toEqual(decomposed);
  });

  it("treats an injection attempt as plain text: only the caller's own matches", async () => {
    const [a, b] = world.users;
    const { results } = await walk(emailMessages, a.header, [['search', INJECTION]], 500);
    const expected = referenceMessages(world, { user: a, search: INJECTION });
    expect(expected.length).toBeGreaterThanOrEqual(a.mailboxes.length);
    expect(results).toEqual(expected);
    expect(results.some((r) => String(r.subject).includes('from B'))).toBe(false);
    const ofB = await walk(emailMessages, b.header, [['search', INJECTION]], 500);
    expect(ofB.results).toEqual(referenceMessages(world, { user: b, search: INJECTION }));
  });

  it("keeps callers apart: another caller's or another provider's integration_id is a 404", async () => {
    const [a, b] = world.users;
    for (const [caller, id] of [
      [b, a.mailboxes[0]?.id],
      [a, b.mailboxes[0]?.id],
      [a, a.calendars[0]?.id],
      [b, randomUUID()],
    ] as const) {
      expectProblem(await call(emailMessages, caller.header, [['integration_id', String(id)]]), 404, 'not_found');
    }
    const ofB = await walk(emailMessages, b.header, [], 500);
    expect(ofB.results).toEqual(referenceMessages(world, { user: b }));
  });

  it('binds cursors to the caller and the normalised query', async () => {
    const [a, b] = world.users;
    const first = await call(emailMessages, a.header, [
      ['search', 'café'],
      ['limit', '2'],
    ]);
    const cursor = String((first.body as { next_cursor: string }).next_cursor);
    // The same search in another case is the same query; another term or filter is not.
    const same = await call(emailMessages, a.header, [
      ['search', 'CAFÉ'],
      ['limit', '2'],
      ['cursor', cursor],
    ]);
    expect(same.body.results).toEqual(referenceMessages(world, { user: a, search: 'café' }).slice(2, 4));
    expectProblem(
      await call(emailMessages, a.header, [
        ['search', 'cafe'],
        ['cursor', cursor],
      ]),
      400,
      'validation_failed',
      ['cursor'],
    );
    expectProblem(
      await call(emailMessages, a.header, [
        ['search', 'café'],
        ['is_read', 'true'],
        ['cursor', cursor],
      ]),
      400,
      'validation_failed',
      ['cursor'],
    );
    expectProblem(
      await call(emailMessages, b.header, [
        ['search', 'café'],
        ['cursor', cursor],
      ]),
      400,
      'validation_failed',
      ['cursor'],
    );
    const tampered = cursor.slice(0, -1) + (cursor.endsWith('A') ? 'B' : 'A');
    expectProblem(
      await call(emailMessages, a.header, [
        ['search', 'café'],
        ['cursor', tampered],
      ]),
      400,
      'validation_failed',
      ['cursor'],
    );
  });
});
