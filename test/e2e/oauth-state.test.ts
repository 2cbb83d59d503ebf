import { createHash } from 'node:crypto';
import { odata, TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthorizeUrl } from '../support/sim.js';
import { simControl, tokenRequests } from '../support/sim-control.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Starts a sign-in and plays the browser: returns the state and the code Microsoft sent back. */
async function authorize(callerEmail: string, provider = 'microsoft_calendar') {
  stack.user(callerEmail);
  const token = await stack.callerToken(callerEmail);
  const started = await stack.api('POST', 'integrations/oauth/initiate', {
    token,
    body: { provider, login_hint: callerEmail },
  });
  expect(started.status).toBe(200);
  const outcome = await openAuthorizeUrl(started.body.authorization_url);
  return { token, state: started.body.state as string, code: outcome.params?.get('code') ?? '' };
}

async function callbackRefused(token: string, body: object) {
  const before = tokenRequests(stack.sim);
  const res = await stack.api('POST', 'integrations/oauth/callback', { token, body });
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(tokenRequests(stack.sim)).toBe(before); // refused before any call to Microsoft
  return res.body;
}

describe('OAuth state is single-use, expiring and bound to caller and provider', () => {
  it('a forged state is invalid_state', async () => {
    const { token, code } = await authorize('forger@contoso.example');
    const body = await callbackRefused(token, { provider: 'microsoft_calendar', state: 'A'.repeat(43), code });
    expect(body.code).toBe('invalid_state');
  });

  it('a replayed state is invalid_state', async () => {
    const { token, state, code } = await authorize('replay@contoso.example');
    const first = await stack.api('POST', 'integrations/oauth/callback', {
      token,
      body: { provider: 'microsoft_calendar', state, code },
    });
    expect(first.status).toBe(201);
    expect((await callbackRefused(token, { provider: 'microsoft_calendar', state, code })).code).toBe('invalid_state');
  });

  it('an expired state is invalid_state', async () => {
    const { token, state, code } = await authorize('late@contoso.example');
    const table = TableClient.fromConnectionString(stack.azurite.connectionString, 'OAuthStates', {
      allowInsecureConnection: true,
    });
    await table.updateEntity(
      { ...(await stateRow(table, state)), expiresAt: new Date(Date.now() - 1000).toISOString() },
      'Merge',
    );
    expect((await callbackRefused(token, { provider: 'microsoft_calendar', state, code })).code).toBe('invalid_state');
  });

  it('the cleanup timer purges expired states and keeps live ones', async () => {
    const { state: live } = await authorize('keeper@contoso.example');
    const { state: dead } = await authorize('quitter@contoso.example');
    const table = TableClient.fromConnectionString(stack.azurite.connectionString, 'OAuthStates', {
      allowInsecureConnection: true,
    });
    const liveRow = await stateRow(table, live);
    // The dead one as if issued 20 minutes ago: moved to the slot it would then have (two slots back).
    const issued = await stateRow(table, dead);
    const row = await table.getEntity(issued.partitionKey, issued.rowKey);
    const oldSlot = String(Number(issued.partitionKey.slice(1, 11)) - 2).padStart(10, '0');
    const deadRow = { partitionKey: `s${oldSlot}${issued.partitionKey.slice(11)}`, rowKey: issued.rowKey };
    await table.createEntity({ ...row, ...deadRow, expiresAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    await table.deleteEntity(issued.partitionKey, issued.rowKey);
    const { oauthStateCleanup } = await import('../../functions/oauth-state-cleanup.js');
    const { InvocationContext } = await import('@azure/functions');
    await oauthStateCleanup.handler(
      { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: undefined as never },
      new InvocationContext({ functionName: 'oauthStateCleanup' }),
    );
    await expect(table.getEntity(deadRow.partitionKey, deadRow.rowKey)).rejects.toMatchObject({ statusCode: 404 });
    await expect(table.getEntity(liveRow.partitionKey, liveRow.rowKey)).resolves.toBeTruthy();
  });

  it("another caller's state is invalid_state and stays usable by its owner", async () => {
    const { token, state, code } = await authorize('owner@contoso.example');
    const thief = await stack.callerToken('thief@contoso.example');
    const refused = await callbackRefused(thief, { provider: 'microsoft_calendar', state, code });
    expect(refused.code).toBe('invalid_state');
    const owner = await stack.api('POST', 'integrations/oauth/callback', {
      token,
      body: { provider: 'microsoft_calendar', state, code },
    });
    expect(owner.status).toBe(201);
  });

  it("another provider's state is invalid_state", async () => {
    const { token, state, code } = await authorize('mixed@contoso.example', 'microsoft_calendar');
    expect((await callbackRefused(token, { provider: 'microsoft_outlook', state, code })).code).toBe('invalid_state');
  });

  it('the four refusals are indistinguishable to the caller', async () => {
    const { token, code } = await authorize('same@contoso.example');
    const a = await callbackRefused(token, { provider: 'microsoft_calendar', state: 'B'.repeat(43), code });
    const b = await callbackRefused(token, { provider: 'microsoft_calendar', state: 'short', code });
    expect({ ...a, request_id: '' }).toEqual({ ...b, request_id: '' });
  });

  it('a declined consent is consent_denied and consumes the state', async () => {
    await simControl(stack.sim, 'POST', 'consent', { next: 'deny' });
    const { token, state } = await authorize('decliner@contoso.example');
    const before = tokenRequests(stack.sim);
    const res = await stack.api('POST', 'integrations/oauth/callback', {
      token,
      body: { provider: 'microsoft_calendar', state, error: 'access_denied', error_description: 'The user declined.' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('consent_denied');
    expect(tokenRequests(stack.sim)).toBe(before);
    const again = await stack.api('POST', 'integrations/oauth/callback', {
      token,
      body: { provider: 'microsoft_calendar', state, error: 'access_denied' },
    });
    expect(again.body.code).toBe('invalid_state');
  });

  it('a code Microsoft refuses is oauth_exchange_failed with only the AADSTS code', async () => {
    const { token, state } = await authorize('badcode@contoso.example');
    const res = await stack.api('POST', 'integrations/oauth/callback', {
      token,
      body: { provider: 'microsoft_calendar', state, code: 'not-a-real-code' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('oauth_exchange_failed');
    expect(res.body.detail).toMatch(/^Microsoft refused the authorization code( \(AADSTS\d+\))?\.$/);
  });
});

/** The row of a state, found by its hash (the row key) whatever partition the store chose. */
async function stateRow(table: TableClient, state: string): Promise<{ partitionKey: string; rowKey: string }> {
  const rowKey = createHash('sha256').update(state).digest('hex');
  for await (const row of table.listEntities({ queryOptions: { filter: odata`RowKey eq ${rowKey}` } })) {
    return { partitionKey: String(row.partitionKey), rowKey };
  }
  throw new Error('no row for this state');
}
