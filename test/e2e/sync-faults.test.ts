import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { calendarTruth, simControl } from '../support/sim-control.js';
import { startStack, type Answer, type Stack } from '../support/stack.js';
import { byId, lastSync as lastSyncOf, storedRows, succeededAfter, truthEvent } from '../support/truth.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ settings: { GRAPH_PAGE_SIZE: '25', SYNC_MAIL_FOLDERS: 'inbox,archive' } });
});
afterAll(async () => {
  await stack?.stop();
});

const lastSync = (token: string, id: string, done: (body: Answer['body']) => boolean, timeoutMs?: number) =>
  lastSyncOf(stack, token, id, done, timeoutMs);

async function calendarMatchesTruth(email: string, integrationId: string) {
  const window = calendarWindow(new Date(), 30, 30);
  const truth = await calendarTruth(stack.sim, email, window);
  const { items, pointers } = await storedRows(stack, 'CalendarEvents', integrationId);
  expect(items.length).toBe(byId(items).size);
  expect(pointers).toBe(items.length);
  expect(byId(items)).toEqual(byId(truth.map(truthEvent)));
}

describe('sync under faults', () => {
  it('completes with 30% of Graph requests throttled: no request early, never more than 4 in flight per mailbox', async () => {
    const email = 'throttled@contoso.example';
    stack.user(email, {
      email,
      calendar: { events: 300, recurring_series: 4, all_day: 10 },
      mailbox: { messages: 400, folders: ['archive'] },
    });
    await simControl(stack.sim, 'DELETE', 'stats');
    await simControl(stack.sim, 'POST', 'faults', {
      throttle_share: 0.3,
      retry_after_s: 0.2,
      mailbox_concurrency_limit: 4,
    });
    const token = await stack.callerToken(email);
    const t0 = new Date(0).toISOString();
    const calendar = (await stack.connect(email, 'microsoft_calendar')).body.id;
    const mail = (await stack.connect(email, 'microsoft_outlook')).body.id;
    await Promise.all([lastSync(token, calendar, succeededAfter(t0)), lastSync(token, mail, succeededAfter(t0))]);
    await simControl(stack.sim, 'DELETE', 'faults');
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.by_status['429']).toBeGreaterThan(10);
    expect(stats.early_retries).toBe(0);
    expect(stats.max_in_flight_per_mailbox.by_user[email]).toBeLessThanOrEqual(4);
    await calendarMatchesTruth(email, calendar);
  });

  it('when the retries run out, the job goes back on the queue and runs again no sooner than Retry-After', async () => {
    const email = 'patient@contoso.example';
    stack.user(email, { email, calendar: { events: 40, recurring_series: 1 } });
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_calendar')).body.id;
    await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    // Five answers of 429 exhaust the client's four retries; the sixth request would succeed.
    await simControl(stack.sim, 'POST', 'faults', { status: 429, next_n: 5, retry_after_s: 1.5 });
    await simControl(stack.sim, 'DELETE', 'stats');
    const from = stack.logs.length;
    const started = new Date().toISOString();
    expect(
      (await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'calendar' } })).status,
    ).toBe(202);
    const body = await lastSync(token, id, succeededAfter(started));
    await simControl(stack.sim, 'DELETE', 'faults');
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.by_status['429']).toBe(5);
    expect(stats.early_retries).toBe(0);
    const lines = stack.logs.slice(from);
    expect(lines.some((l) => l.includes('throttled; job requeued'))).toBe(true);
    expect(lines.filter((l) => l.startsWith("Executed 'Functions.syncWorker' (Failed")).length).toBe(0);
    expect(body.last_sync.error).toBeNull();
  });

  it('an expired delta token leads to one full resync that leaves no duplicates and no stale items', async () => {
    const email = 'expiry@contoso.example';
    stack.user(email, { email, calendar: { events: 150, recurring_series: 2, all_day: 5 } });
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_calendar')).body.id;
    await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    await simControl(stack.sim, 'POST', `users/${email}/changes`, { calendar: { add: 3, update: 3, delete: 4 } });
    await simControl(stack.sim, 'POST', 'faults', { expire_delta_tokens: true });
    await simControl(stack.sim, 'DELETE', 'stats');
    const started = new Date().toISOString();
    expect(
      (await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'calendar' } })).status,
    ).toBe(202);
    await lastSync(token, id, succeededAfter(started));
    await simControl(stack.sim, 'DELETE', 'faults');
    const stats = await simControl(stack.sim, 'GET', 'stats');
    expect(stats.by_status['410']).toBe(1);
    await calendarMatchesTruth(email, id);
  });

  it('a job that always fails goes to the poison queue after 5 deliveries: last_sync failed with its code, status error until a sync succeeds', async () => {
    const email = 'doomed@contoso.example';
    stack.user(email);
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_outlook')).body.id;
    await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    const from = stack.logs.length;
    await simControl(stack.sim, 'POST', 'faults', { status: 500, next_n: 1000 });
    expect((await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'email' } })).status).toBe(
      202,
    );
    const failed = await lastSync(token, id, (b) => b.last_sync?.status === 'failed');
    await simControl(stack.sim, 'DELETE', 'faults');
    expect(failed.last_sync.error).toEqual({ code: 'graph_unavailable', message: expect.any(String) });
    const lines = stack.logs.slice(from);
    expect(lines.filter((l) => l.startsWith("Executed 'Functions.syncWorker' (Failed")).length).toBe(5);
    expect(lines.filter((l) => l.startsWith("Executed 'Functions.syncPoison' (Succeeded")).length).toBe(1);
    // The poison consumer gives the integration status `error` with the last error as its reason;
    // a failing Graph is not lost consent, so it is not reauth_required and is still synced.
    expect(failed.status).toBe('error');
    expect(failed.status_reason).toEqual({ code: 'graph_unavailable', message: expect.any(String) });
    const listed = await stack.api('GET', 'integrations', { token });
    expect(listed.body.results.find((i: { id: string }) => i.id === id)).toMatchObject({
      status: 'error',
      status_reason: { code: 'graph_unavailable' },
    });
    // POST /sync still queues it, and the sync that succeeds makes it active again.
    const started = new Date().toISOString();
    const queued = await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'email' } });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: 'error', last_sync: { status: 'queued' } });
    const recovered = await lastSync(token, id, succeededAfter(started));
    expect(recovered).toMatchObject({
      status: 'active',
      status_reason: null,
      last_sync: { status: 'succeeded', error: null },
    });
  });

  it('a refresh token revoked at Microsoft turns the integration reauth_required, visible to the SPA', async () => {
    const email = 'revoked@contoso.example';
    stack.user(email);
    await simControl(stack.sim, 'POST', 'tokens', { access_token_ttl_s: 1 });
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_calendar')).body.id;
    await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    await simControl(stack.sim, 'POST', `users/${email}/revoke`);
    await simControl(stack.sim, 'POST', 'tokens', { access_token_ttl_s: 3600 });
    await new Promise((r) => setTimeout(r, 1100)); // the 1 s access token is expired: a sync must refresh
    expect(
      (await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'calendar' } })).status,
    ).toBe(202);
    const body = await lastSync(token, id, (b) => b.status === 'reauth_required');
    expect(body.last_sync).toMatchObject({ status: 'failed', error: { code: 'reauth_required' } });
    expect(body.status_reason.code).toMatch(/invalid_grant|interaction_required/);
    const again = await stack.api('POST', `integrations/${id}/sync`, { token, body: { sync_type: 'calendar' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('reauth_required');
    // Reconnecting renews the same integration and makes it active again.
    const renewed = await stack.connect(email, 'microsoft_calendar');
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ id, status: 'active', status_reason: null });
  });

  it('DELETE removes tokens, synced data and sync state; the id is 404 everywhere afterwards', async () => {
    const email = 'leaver@contoso.example';
    stack.user(email);
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_outlook')).body.id;
    await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    expect((await storedRows(stack, 'EmailMessages', id)).items.length).toBeGreaterThan(0);
    expect((await stack.api('DELETE', `integrations/${id}`, { token })).status).toBe(204);
    for (const table of ['TokenCaches', 'EmailMessages', 'SyncState']) {
      const client = TableClient.fromConnectionString(stack.azurite.connectionString, table, {
        allowInsecureConnection: true,
      });
      const rows = [];
      for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${id}'` } }))
        rows.push(row);
      expect(rows, table).toEqual([]);
    }
    for (const [method, path, body] of [
      ['GET', `integrations/${id}`],
      ['DELETE', `integrations/${id}`],
      ['POST', `integrations/${id}/sync`, { sync_type: 'email' }],
    ] as const) {
      const res = await stack.api(method, path, { token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    const list = await stack.api('GET', 'integrations', { token });
    expect(list.body.results.map((i: { id: string }) => i.id)).not.toContain(id);
  });

  it('a DELETE that failed half-way (row marked disconnected, data left) is 404 to reads and finished by a retried DELETE', async () => {
    const email = 'halfway@contoso.example';
    stack.user(email);
    const token = await stack.callerToken(email);
    const id = (await stack.connect(email, 'microsoft_outlook')).body.id;
    await lastSync(token, id, succeededAfter(new Date(0).toISOString()));
    const integrations = TableClient.fromConnectionString(stack.azurite.connectionString, 'Integrations', {
      allowInsecureConnection: true,
    });
    const row = (await integrations.listEntities({ queryOptions: { filter: `RowKey eq '${id}'` } }).next()).value;
    await integrations.updateEntity({ partitionKey: row.partitionKey, rowKey: id, status: 'disconnected' }, 'Merge');
    expect((await stack.api('GET', `integrations/${id}`, { token })).status).toBe(404);
    expect((await stack.api('GET', 'integrations', { token })).body.results).toEqual([]);
    expect((await stack.api('GET', `integrations/email-messages?integration_id=${id}`, { token })).status).toBe(404);
    expect((await storedRows(stack, 'EmailMessages', id)).items.length).toBeGreaterThan(0);
    expect((await stack.api('DELETE', `integrations/${id}`, { token })).status).toBe(204);
    expect((await storedRows(stack, 'EmailMessages', id)).items).toEqual([]);
    await expect(integrations.getEntity(row.partitionKey, id)).rejects.toMatchObject({ statusCode: 404 });
  });
});
