import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCertificate } from '../../dev/certs.mjs';
import { createGraphService, SIM_TENANT_ID } from '../../dev/sim/graph/index.js';
import { callerFor, json } from '../../dev/sim/graph/testing.js';

type Obj = Record<string, unknown>;

// A real HTTPS webhook receiver: /good echoes the validation token, /wrong echoes something else;
// notifications to any path are collected.
let server: Server;
let base: string;
const received: Array<{ path: string; body: Obj }> = [];
const validations: string[] = [];

beforeAll(async () => {
  const { cert, key } = await ensureDevCertificate();
  server = createServer({ cert, key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const token = url.searchParams.get('validationToken');
    if (token !== null) {
      validations.push(token);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(url.pathname === '/wrong' ? 'not the token' : token);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Obj });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const now = new Date('2025-03-10T12:00:00Z');
const inDays = (d: number): string => new Date(now.getTime() + d * 86_400_000).toISOString();

async function waitFor<T>(probe: () => T | undefined, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('subscriptions', () => {
  const service = createGraphService({ seed: 51, now: () => now });
  const user = service.createUser({ email: 'hook@contoso.com', mailbox: { messages: 10 }, calendar: { events: 10 } });
  const call = callerFor(service, user);

  it('validates the endpoint, answers 201 and notifies on new Inbox mail', async () => {
    const res = await call('POST', '/subscriptions', {
      body: {
        changeType: 'created,updated',
        notificationUrl: `${base}/good`,
        resource: "me/mailFolders('Inbox')/messages",
        expirationDateTime: inDays(2),
        clientState: 'secretClientValue',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const sub = json(res);
    expect(sub).toMatchObject({
      resource: "me/mailFolders('Inbox')/messages",
      changeType: 'created,updated',
      clientState: 'secretClientValue',
      creatorId: user.id,
    });
    expect(validations.at(-1)).toMatch(/^Validation: Testing client application reachability/);

    const report = service.applyChanges('hook@contoso.com', { mailbox: { add: 2 }, calendar: { add: 1 } });
    const got = await waitFor(() => received.find((r) => r.path === '/good'));
    const value = got.body.value as Obj[];
    expect(value.map((n) => (n.resourceData as Obj).id).sort()).toEqual([...report.mailbox.added].sort());
    for (const n of value) {
      expect(n).toMatchObject({
        subscriptionId: sub.id,
        clientState: 'secretClientValue',
        changeType: 'created',
        tenantId: SIM_TENANT_ID,
      });
      expect(String(n.resource)).toBe(`Users/${user.id}/Messages/${String((n.resourceData as Obj).id)}`);
      expect((n.resourceData as Obj)['@odata.type']).toBe('#Microsoft.Graph.Message');
    }
  });

  it('refuses an endpoint that does not echo the token, non-loopback hosts and bad input', async () => {
    const wrong = await call('POST', '/subscriptions', {
      body: {
        changeType: 'created',
        notificationUrl: `${base}/wrong`,
        resource: 'me/messages',
        expirationDateTime: inDays(1),
      },
    });
    expect(wrong.status).toBe(400);
    expect((json(wrong).error as Obj).code).toBe('ValidationError');
    const remote = await call('POST', '/subscriptions', {
      body: {
        changeType: 'created',
        notificationUrl: 'https://webhook.example.com/hook',
        resource: 'me/messages',
        expirationDateTime: inDays(1),
      },
    });
    expect((json(remote).error as Obj).code).toBe('ValidationError');
    const cases: Obj[] = [
      {
        changeType: 'created',
        notificationUrl: `${base}/good`,
        resource: 'me/messages',
        expirationDateTime: inDays(8),
      },
      {
        changeType: 'created',
        notificationUrl: `${base}/good`,
        resource: 'me/messages',
        expirationDateTime: inDays(-1),
      },
      { changeType: 'born', notificationUrl: `${base}/good`, resource: 'me/messages', expirationDateTime: inDays(1) },
      {
        changeType: 'created',
        notificationUrl: `${base}/good`,
        resource: 'me/contacts',
        expirationDateTime: inDays(1),
      },
      { changeType: 'created', resource: 'me/messages', expirationDateTime: inDays(1) },
    ];
    for (const body of cases)
      expect((await call('POST', '/subscriptions', { body })).status, JSON.stringify(body)).toBe(400);
    const denied = await callerFor(service, user, ['Mail.Read'])('POST', '/subscriptions', {
      body: {
        changeType: 'created',
        notificationUrl: `${base}/good`,
        resource: 'me/events',
        expirationDateTime: inDays(1),
      },
    });
    expect(denied.status).toBe(403);
  });

  it('lists, renews and deletes, and stops notifying once deleted', async () => {
    const created = json(
      await call('POST', '/subscriptions', {
        body: {
          changeType: 'created,updated,deleted',
          notificationUrl: `${base}/events`,
          resource: '/me/events',
          expirationDateTime: inDays(1),
        },
      }),
    );
    const id = String(created.id);
    const list = json(await call('GET', '/subscriptions')).value as Obj[];
    expect(list.map((s) => s.id)).toContain(id);
    const renewed = await call('PATCH', `/subscriptions/${id}`, { body: { expirationDateTime: inDays(3) } });
    expect(Date.parse(String(json(renewed).expirationDateTime))).toBe(Date.parse(inDays(3)));
    const report = service.applyChanges('hook@contoso.com', { calendar: { delete: 1 } });
    const got = await waitFor(() => received.find((r) => r.path === '/events'));
    expect((got.body.value as Obj[])[0]).toMatchObject({
      changeType: 'deleted',
      resourceData: { id: report.calendar.deleted[0] },
    });
    expect((await call('DELETE', `/subscriptions/${id}`)).status).toBe(204);
    expect((await call('GET', `/subscriptions/${id}`)).status).toBe(404);
    const before = received.length;
    service.applyChanges('hook@contoso.com', { calendar: { add: 1 } });
    await new Promise((r) => setTimeout(r, 200));
    expect(received.slice(before).some((r) => r.path === '/events')).toBe(false);
  });
});
