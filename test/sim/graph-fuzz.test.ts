import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { ALL_SCOPES } from '../../dev/sim/graph/testing.js';

// Whatever arrives, the service answers like Graph: a 2xx or a 4xx/410 with Graph's error JSON,
// never a 500 and never a thrown exception.

const service = createGraphService({ seed: 91, now: () => new Date('2025-03-10T12:00:00Z') });
const user = service.createUser({ email: 'fuzz@contoso.com', calendar: { events: 20 }, mailbox: { messages: 20 } });

const segment = fc.oneof(
  fc.constantFrom(
    'me',
    'users',
    'fuzz@contoso.com',
    'calendarView',
    'delta',
    'events',
    'messages',
    'mailFolders',
    'inbox',
    "mailFolders('Inbox')",
    'sendMail',
    '$batch',
    'subscriptions',
    'move',
    '%zz',
    'x',
  ),
  fc.string({ maxLength: 12 }),
);
const option = fc.tuple(
  fc.constantFrom(
    '$select',
    '$filter',
    '$top',
    '$orderby',
    '$search',
    '$skiptoken',
    '$deltatoken',
    '$skip',
    'startDateTime',
    'endDateTime',
    'changeType',
    '$expand',
  ),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '2025-03-01T00:00:00Z',
      'isRead eq true',
      '"x"',
      'subject',
      '5',
      '-1',
      'receivedDateTime ge 2025-01-01',
    ),
  ),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({
    requests: fc.array(fc.record({ id: fc.string(), method: fc.constantFrom('GET', 'POST'), url: fc.string() }), {
      maxLength: 3,
    }),
  }),
);

describe('robustness', () => {
  it('never answers 500 to random requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT'),
        fc.array(segment, { maxLength: 5 }),
        fc.array(option, { maxLength: 4 }),
        body,
        fc.constantFrom(undefined, 'odata.maxpagesize=3', 'outlook.timezone="Nowhere"', 'odata.maxpagesize=0'),
        async (method, segs, options, payload, prefer) => {
          const params = new URLSearchParams();
          for (const [k, v] of options) params.append(k, v);
          const path = `/${segs.join('/')}`;
          const res = await service.handle({
            method,
            path,
            query: params,
            headers: prefer ? { prefer } : {},
            body: payload,
            user,
            scopes: ALL_SCOPES,
            baseUrl: 'https://localhost:8443',
          });
          expect(res.status, `${method} ${path}?${params.toString()}`).toBeLessThan(500);
          if (res.status >= 400)
            expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
        },
      ),
      { numRuns: 600 },
    );
  });

  it('never answers 500 to valid paths with random options and bodies', async () => {
    const event = (
      service.calendarTruth(
        'fuzz@contoso.com',
        new Date('2025-02-01T00:00:00Z'),
        new Date('2025-04-01T00:00:00Z'),
      )[0] as { id: string }
    ).id;
    const message = (service.mailboxTruth('fuzz@contoso.com')[0] as { id: string }).id;
    const paths = [
      '/me',
      '/me/calendarView',
      '/me/calendarView/delta',
      '/me/messages',
      '/me/mailFolders/inbox/messages',
      '/me/mailFolders/inbox/messages/delta',
      '/me/events',
      `/me/events/${event}`,
      `/me/messages/${message}`,
      `/me/messages/${message}/move`,
      '/subscriptions',
      '/$batch',
      '/me/sendMail',
      '/me/mailFolders',
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        '2025-03-01T00:00:00Z',
        '2025-03-20T00:00:00+02:00',
        'isRead eq true',
        "importance eq 'high'",
        '"café"',
        'subject,isRead',
        'receivedDateTime desc',
        '3',
        '0',
        '1000000',
        'created',
        'W10',
        'eyJ4IjoxfQ',
      ),
    );
    const eventBody = fc.record(
      {
        subject: fc.oneof(fc.string(), fc.integer()),
        isAllDay: fc.boolean(),
        start: fc.record({
          dateTime: fc.oneof(fc.string(), fc.constant('2025-03-12T00:00:00')),
          timeZone: fc.constantFrom('UTC', 'Pacific Standard Time', 'x'),
        }),
        end: fc.record({
          dateTime: fc.oneof(fc.string(), fc.constant('2025-03-13T00:00:00')),
          timeZone: fc.constantFrom('UTC', 'Tokyo Standard Time'),
        }),
        recurrence: fc.option(
          fc.record({
            pattern: fc.record({
              type: fc.constantFrom('daily', 'weekly', 'absoluteMonthly'),
              interval: fc.integer({ min: -1, max: 3 }),
            }),
            range: fc.record({
              type: fc.constantFrom('noEnd', 'numbered', 'endDate'),
              startDate: fc.constantFrom('2025-03-12', 'bad'),
            }),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
        fc.constantFrom(...paths),
        fc.array(
          fc.tuple(
            fc.constantFrom(
              '$select',
              '$filter',
              '$top',
              '$orderby',
              '$search',
              '$skiptoken',
              '$deltatoken',
              'startDateTime',
              'endDateTime',
              'changeType',
            ),
            value,
          ),
          { maxLength: 4 },
        ),
        fc.oneof(
          fc.constant(undefined),
          fc.jsonValue({ maxDepth: 2 }),
          eventBody,
          fc.record({ isRead: fc.jsonValue(), destinationId: fc.constantFrom('archive', 'x') }),
        ),
        async (method, path, options, payload) => {
          const query = new URLSearchParams();
          for (const [k, v] of options) query.append(k, v);
          const res = await service.handle({
            method,
            path,
            query,
            headers: {},
            body: payload,
            user,
            scopes: ALL_SCOPES,
            baseUrl: 'https://localhost:8443',
          });
          expect(res.status, `${method} ${path}?${query.toString()} ${JSON.stringify(payload)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 800 },
    );
  });
});
