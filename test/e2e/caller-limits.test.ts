import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INTEGRATIONS_PER_CALLER } from '../../shared/oauth/connect.js';
import { MAX_PENDING_STATES_PER_CALLER } from '../../shared/oauth/state-store.js';
import { startStack, type Stack } from '../support/stack.js';

// What one caller can make the app store is bounded: integrations (each costs a sync job per cycle
// and a partition of rows) and pending sign-ins (each a row until it expires), with clear 4xx codes.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ serve: 'http' });
});
afterAll(async () => stack?.stop());

describe('integrations per caller', () => {
  it(`stops at ${MAX_INTEGRATIONS_PER_CALLER} (initiate and callback refuse a new account), renewals still pass`, async () => {
    const caller = 'collector@contoso.example';
    const accounts = Array.from({ length: MAX_INTEGRATIONS_PER_CALLER }, (_, i) => `account-${i}@contoso.example`);
    for (const email of [...accounts, 'one-too-many@contoso.example']) stack.user(email, { email });
    for (const email of accounts) expect((await stack.connect(caller, 'microsoft_outlook', email)).status).toBe(201);
    const token = await stack.callerToken(caller);

    const tooMany = await stack.connect(caller, 'microsoft_outlook', 'one-too-many@contoso.example');
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ code: 'integration_limit_reached', status: 409 });
    // A provider the caller holds none of cannot be a renewal: refused before Microsoft is asked.
    const initiate = await stack.api('POST', 'integrations/oauth/initiate', {
      token,
      body: { provider: 'microsoft_calendar' },
    });
    expect(initiate.status).toBe(409);
    expect(initiate.body.code).toBe('integration_limit_reached');

    // Reconnecting an account already connected renews it.
    expect((await stack.connect(caller, 'microsoft_outlook', accounts[3])).status).toBe(200);
    const list = await stack.api('GET', 'integrations?limit=100', { token });
    expect(list.body.results).toHaveLength(MAX_INTEGRATIONS_PER_CALLER);
    expect(list.body.results.map((i: { account: { email: string } }) => i.account.email)).not.toContain(
      'one-too-many@contoso.example',
    );
  });
});

describe('pending sign-ins per caller', () => {
  it(`refuses the sign-in after ${MAX_PENDING_STATES_PER_CALLER} unfinished ones with 429 and Retry-After`, async () => {
    const token = await stack.callerToken('restless@contoso.example');
    const initiate = () =>
      stack.api('POST', 'integrations/oauth/initiate', { token, body: { provider: 'microsoft_calendar' } });
    for (let i = 0; i < MAX_PENDING_STATES_PER_CALLER; i++) expect((await initiate()).status).toBe(200);
    const refused = await initiate();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'too_many_pending_sign_ins', status: 429 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(600);
    // Another caller is not affected.
    const other = await stack.callerToken('calm@contoso.example');
    const theirs = await stack.api('POST', 'integrations/oauth/initiate', {
      token: other,
      body: { provider: 'microsoft_calendar' },
    });
    expect(theirs.status).toBe(200);
  });
});
