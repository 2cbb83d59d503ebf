import { describe, expect, it } from 'vitest';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { callerFor, json } from '../../dev/sim/graph/testing.js';

type Obj = Record<string, unknown>;

function setup(scopes?: string[]) {
  const service = createGraphService({ seed: 61, now: () => new Date('2025-03-10T12:00:00Z') });
  const user = service.createUser({ email: 'batch@contoso.com', mailbox: { messages: 12 } });
  return { service, user, call: callerFor(service, user, scopes) };
}

describe('$batch', () => {
  it('routes each request as the caller and answers in the documented envelope', async () => {
    const { call } = setup(['User.Read', 'Mail.Read']);
    const res = await call('POST', '/$batch', {
      body: {
        requests: [
          { id: '1', method: 'GET', url: '/me' },
          { id: '2', method: 'GET', url: 'me/messages?$select=subject&$top=2' },
          {
            id: '3',
            method: 'GET',
            url: '/me/calendarView?startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-03-02T00:00:00Z',
          },
          { id: '4', method: 'GET', url: '/me/planner/tasks' },
          {
            id: '5',
            method: 'POST',
            url: '/me/sendMail',
            dependsOn: ['3'],
            body: { message: { toRecipients: [] } },
            headers: { 'Content-Type': 'application/json' },
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const responses = json(res).responses as Obj[];
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ['1', 200],
      ['2', 200],
      ['3', 403],
      ['4', 400],
      ['5', 424],
    ]);
    for (const r of responses) {
      expect(Object.keys(r).sort()).toEqual(['body', 'headers', 'id', 'status']);
      expect(String((r.headers as Obj)['Content-Type'])).toMatch(/^application\/json/);
    }
    expect((responses[1]?.body as Obj).value as Obj[]).toHaveLength(2);
    expect(((responses[2]?.body as Obj).error as Obj).code).toBe('ErrorAccessDenied');
    expect(((responses[3]?.body as Obj).error as Obj).message).toContain("'planner'");
  });

  it('allows at most 20 requests, unique ids and no nesting', async () => {
    const { call } = setup();
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    expect((await call('POST', '/$batch', { body: { requests: many } })).status).toBe(400);
    expect((await call('POST', '/$batch', { body: { requests: many.slice(0, 20) } })).status).toBe(200);
    expect(
      (
        await call('POST', '/$batch', {
          body: {
            requests: [
              { id: '1', method: 'GET', url: '/me' },
              { id: '1', method: 'GET', url: '/me' },
            ],
          },
        })
      ).status,
    ).toBe(400);
    expect((await call('POST', '/$batch', { body: { requests: 'nope' } })).status).toBe(400);
    const nested = json(
      await call('POST', '/$batch', {
        body: { requests: [{ id: 'a', method: 'POST', url: '/$batch', body: { requests: [] } }] },
      }),
    );
    expect((nested.responses as Obj[])[0]?.status).toBe(400);
  });

  it('applies writes in order and lets later requests see them', async () => {
    const { call } = setup();
    const res = json(
      await call('POST', '/$batch', {
        body: {
          requests: [
            {
              id: 'create',
              method: 'POST',
              url: '/me/events',
              body: {
                subject: 'Batch event',
                start: { dateTime: '2025-03-11T09:00:00', timeZone: 'UTC' },
                end: { dateTime: '2025-03-11T10:00:00', timeZone: 'UTC' },
              },
            },
            {
              id: 'list',
              method: 'GET',
              url: '/me/calendarView?startDateTime=2025-03-11T00:00:00Z&endDateTime=2025-03-12T00:00:00Z&$top=100',
              dependsOn: ['create'],
            },
          ],
        },
      }),
    );
    const [create, list] = res.responses as Obj[];
    expect(create?.status).toBe(201);
    const subjects = ((list?.body as Obj).value as Obj[]).map((e) => e.subject);
    expect(subjects).toContain('Batch event');
  });
});

describe('routing errors', () => {
  it('answers Graph-shaped 400, 404 and 405 errors', async () => {
    const { service, call } = setup();
    const other = service.createUser({ email: 'someone@contoso.com' });
    const cases: Array<[string, string, number, string]> = [
      ['GET', '/me/notes', 400, 'BadRequest'],
      ['GET', '/', 400, 'BadRequest'],
      ['GET', '/me/events/AAMkAGdoesnotexist=', 404, 'ErrorItemNotFound'],
      ['GET', '/me/mailFolders/nope/messages', 404, 'ErrorItemNotFound'],
      ['DELETE', '/me/calendarView', 405, 'Request_BadRequest'],
      ['PATCH', '/me/mailFolders/inbox/messages/delta', 405, 'Request_BadRequest'],
      ['GET', `/users/${other.id}/messages`, 403, 'ErrorAccessDenied'],
      ['GET', '/users/ghost@contoso.com/messages', 404, 'Request_ResourceNotFound'],
    ];
    for (const [method, url, status, code] of cases) {
      const res = await call(method, url);
      expect(res.status, `${method} ${url}`).toBe(status);
      const err = json(res).error as Obj;
      expect(err.code, `${method} ${url}`).toBe(code);
      expect(Object.keys(err.innerError as Obj).sort()).toEqual(['client-request-id', 'date', 'request-id']);
    }
    const self = await call('GET', "/users/BATCH@contoso.com/mailFolders('Inbox')/messages?$top=1");
    expect(self.status).toBe(200);
    const withId = await call('GET', '/me', { headers: { 'client-request-id': 'abc-123' } });
    expect(withId.headers?.['client-request-id']).toBe('abc-123');
  });

  it('refuses /me without User.Read as Graph does', async () => {
    const { call } = setup(['Mail.Read']);
    const res = await call('GET', '/me');
    expect(res.status).toBe(403);
    expect((json(res).error as Obj).code).toBe('Authorization_RequestDenied');
  });
});
