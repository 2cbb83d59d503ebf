import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarEvents } from '../../functions/calendar-events.js';
import { emailMessages } from '../../functions/email-messages.js';
import { freeBusy } from '../../functions/free-busy.js';
import type { HttpFunction } from '../../shared/functions/definitions.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { useSettings } from '../support/settings.js';
import { call, expectProblem, type Params } from './client.js';
import {
  eventCorruptions,
  LEVELS,
  messageCorruptions,
  validEventParams,
  validMessageParams,
  type Corruption,
} from './malformed-cases.js';
import { seedWorld, type World } from './world.js';
import { useSeed } from '../support/seed.js';

const SEED = useSeed('test/query/malformed.test.ts');
const EXPECTED = {
  auth: [401, 'unauthenticated'],
  duplicate: [400, 'validation_failed'],
  fields: [400, 'validation_failed'],
  cursor: [400, 'validation_failed'],
  scope: [404, 'not_found'],
} as const;

/** Up to three corruptions that touch different parameters. */
const disjoint = (list: Corruption[]) =>
  list.reduce<Corruption[]>(
    (kept, c) => (kept.some((k) => k.keys.some((key) => c.keys.includes(key))) ? kept : [...kept, c]),
    [],
  );

describe(`malformed query requests (data seed ${SEED})`, () => {
  let azurite: Azurite | undefined;
  let world: World;
  beforeAll(async () => {
    azurite = await startAzurite();
    useSettings({ AzureWebJobsStorage: azurite.connectionString });
    world = await seedWorld(SEED);
  });
  afterAll(async () => azurite?.stop());

  async function check(fn: HttpFunction, base: Params, corruptions: Corruption[]) {
    const [a] = world.users;
    const touched = new Set(corruptions.flatMap((c) => c.keys));
    const params: Params = [...base.filter(([key]) => !touched.has(key)), ...corruptions.flatMap((c) => c.params)];
    const principal = corruptions.find((c) => c.principal !== undefined)?.principal;
    const answer = await call(
      fn,
      principal === undefined ? a.header : principal === 'none' ? undefined : principal,
      params,
    );
    const level = LEVELS.find((l) => corruptions.some((c) => c.level === l)) ?? 'fields';
    const [status, code] = EXPECTED[level];
    const fields = [...new Set(corruptions.filter((c) => c.level === level).flatMap((c) => c.fields))];
    expectProblem(answer, status, code, fields);
    if (level === 'auth') expect(answer.headers['WWW-Authenticate']).toBe('Bearer');
  }

  for (const [name, fn, corruptions, valid] of [
    [
      'calendar-events',
      calendarEvents,
      () =>
        eventCorruptions(
          world.now,
          [world.users[0].mailboxes[0]?.id ?? '', world.users[1].calendars[0]?.id ?? ''],
          world.users[0].calendars.map((c) => c.id),
        ),
      () => validEventParams(world.now),
    ],
    [
      'email-messages',
      emailMessages,
      () =>
        messageCorruptions(
          world.now,
          [world.users[0].calendars[0]?.id ?? '', world.users[1].mailboxes[0]?.id ?? ''],
          world.users[0].mailboxes.map((m) => m.id),
        ),
      () => validMessageParams(),
    ],
  ] as const) {
    it(`${name}: 500 generated malformed requests each get the right 4xx problem+json, never a 5xx`, async () => {
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          valid(),
          fc.array(corruptions(), { minLength: 1, maxLength: 3 }).map(disjoint),
          async (base, list) => {
            list.forEach((c) => seen.add(c.level));
            await check(fn, base, list);
          },
        ),
        { numRuns: 500 },
      );
      expect([...seen].sort()).toEqual([...LEVELS].sort());
    });
  }

  it('the base queries the corruptions start from are themselves valid', async () => {
    const [a] = world.users;
    for (const [fn, base] of [
      [calendarEvents, fc.sample(validEventParams(world.now), 20)],
      [emailMessages, fc.sample(validMessageParams(), 20)],
    ] as const) {
      for (const params of base) expect((await call(fn, a.header, params)).status).toBe(200);
    }
  });

  it('names every bad field of one request at once', async () => {
    const [a] = world.users;
    const events = await call(calendarEvents, a.header, [
      ['provider', 'microsoft_outlook'],
      ['start_date', '2024-01-01T00:00:00'],
      ['limit', '0'],
      ['colour', 'red'],
    ]);
    expectProblem(events, 400, 'validation_failed', ['provider', 'start_date', 'limit', 'colour']);
    const messages = await call(emailMessages, a.header, [
      ['is_read', 'yes'],
      ['importance', 'urgent'],
      ['search', ''],
      ['received_after', '2024-01-01'],
    ]);
    expectProblem(messages, 400, 'validation_failed', ['is_read', 'importance', 'search', 'received_after']);
    const filters = await call(emailMessages, a.header, [
      ['from', 'nobody'],
      ['folder', 'in box'],
      ['has_attachments', 'yes'],
      ['conversation_id', ''],
    ]);
    expectProblem(filters, 400, 'validation_failed', ['from', 'folder', 'has_attachments', 'conversation_id']);
    const eventFilters = await call(calendarEvents, a.header, [
      ['search', ''],
      ['attendee', 'a@'],
      ['organizer', '@b'],
      ['calendar_id', 'a,,b'],
      ['show_as', 'away'],
      ['is_cancelled', '1'],
      ['type', 'single'],
      ['is_online_meeting', 'TRUE'],
    ]);
    expectProblem(eventFilters, 400, 'validation_failed', [
      'search',
      'attendee',
      'organizer',
      'calendar_id',
      'show_as',
      'is_cancelled',
      'type',
      'is_online_meeting',
    ]);
  });

  it('free-busy: each malformed value is a 400 naming its field; a foreign integration is a 404', async () => {
    const [a, b] = world.users;
    const day = 24 * 3600 * 1000;
    const start = world.now - 10 * day;
    const cases: [Params, string[]][] = [
      [[['start_date', '2024-01-01T00:00:00']], ['start_date']],
      [[['end_date', 'tomorrow']], ['end_date']],
      [
        [
          ['start_date', new Date(start).toISOString()],
          ['end_date', new Date(start + 62 * day + 1000).toISOString()],
        ],
        ['end_date'],
      ],
      [[['start_date', new Date(world.now + 40 * day).toISOString()]], ['start_date']],
      [[['calendar_id', ',']], ['calendar_id']],
      [[['integration_id', '']], ['integration_id']],
      [[['limit', '5']], ['limit']],
      [
        [
          ['calendar_id', 'a'],
          ['calendar_id', 'b'],
        ],
        ['calendar_id'],
      ],
    ];
    for (const [params, fields] of cases) {
      expectProblem(await call(freeBusy, a.header, params), 400, 'validation_failed', fields);
    }
    const ok = await call(freeBusy, a.header, [
      ['start_date', new Date(start).toISOString()],
      ['end_date', new Date(start + 62 * day).toISOString()],
    ]);
    expect(ok.status).toBe(200);
    for (const id of [b.calendars[0]!.id, a.mailboxes[0]!.id]) {
      expectProblem(await call(freeBusy, a.header, [['integration_id', id]]), 404, 'not_found', []);
    }
  });
});
