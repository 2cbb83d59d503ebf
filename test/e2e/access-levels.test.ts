import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopesFor } from '../../shared/providers.js';
import { startStack, type Stack } from '../support/stack.js';
import { simControl } from '../support/sim-control.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ serve: 'http' });
});
afterAll(async () => {
  await stack?.stop();
});

/** The scopes an initiate asked Microsoft for, read from its authorization URL. */
async function askedScopes(email: string, body: Record<string, unknown>): Promise<string[]> {
  const token = await stack.callerToken(email);
  const started = await stack.api('POST', 'integrations/oauth/initiate', {
    token,
    body: { login_hint: email, ...body },
  });
  expect(started.status).toBe(200);
  return (new URL(started.body.authorization_url).searchParams.get('scope') ?? '').split(' ').sort();
}

describe('access levels on connect (API.md "Access")', () => {
  it('scopesFor lists exactly the Access table', () => {
    expect(scopesFor('microsoft_calendar', 'read', false)).toEqual([
      'Calendars.Read',
      'MailboxSettings.Read',
      'User.Read',
    ]);
    expect(scopesFor('microsoft_calendar', 'read_write', false)).toEqual([
      'Calendars.ReadWrite',
      'MailboxSettings.Read',
      'User.Read',
    ]);
    expect(scopesFor('microsoft_calendar', 'read', true)).toContain('Calendars.Read.Shared');
    expect(scopesFor('microsoft_calendar', 'read_write', true)).toContain('Calendars.ReadWrite.Shared');
    expect(scopesFor('microsoft_outlook', 'read', false)).toEqual(['Mail.Read', 'User.Read']);
    expect(scopesFor('microsoft_outlook', 'read_write', false)).toEqual(['Mail.ReadWrite', 'Mail.Send', 'User.Read']);
    expect(scopesFor('microsoft_outlook', 'read_write', true)).toEqual(['Mail.ReadWrite', 'Mail.Send', 'User.Read']);
  });

  it('initiate asks Microsoft for the access level’s scopes plus offline_access openid profile', async () => {
    const oidc = ['offline_access', 'openid', 'profile'];
    expect(await askedScopes('asker@contoso.example', { provider: 'microsoft_calendar' })).toEqual(
      [...scopesFor('microsoft_calendar', 'read', false), ...oidc].sort(),
    );
    expect(
      await askedScopes('asker@contoso.example', {
        provider: 'microsoft_calendar',
        access: 'read_write',
        shared_calendars: true,
      }),
    ).toEqual([...scopesFor('microsoft_calendar', 'read_write', true), ...oidc].sort());
    expect(await askedScopes('asker@contoso.example', { provider: 'microsoft_outlook', access: 'read_write' })).toEqual(
      [...scopesFor('microsoft_outlook', 'read_write', false), ...oidc].sort(),
    );
  });

  it('refuses shared_calendars for Outlook and an unknown access level (400 naming the field)', async () => {
    const token = await stack.callerToken('asker@contoso.example');
    const shared = await stack.api('POST', 'integrations/oauth/initiate', {
      token,
      body: { provider: 'microsoft_outlook', shared_calendars: true },
    });
    expect(shared.status).toBe(400);
    expect(shared.body.errors).toEqual([{ field: 'shared_calendars', message: 'only for microsoft_calendar' }]);
    for (const access of ['write', 'READ', 1, null]) {
      const bad = await stack.api('POST', 'integrations/oauth/initiate', {
        token,
        body: { provider: 'microsoft_calendar', access },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('access');
    }
  });

  it('a read connection shows access read and the granted scopes; a wider reconnect renews it (200, same id)', async () => {
    const email = 'widen@contoso.example';
    const read = await stack.connect(email, 'microsoft_calendar');
    expect(read.status).toBe(201);
    expect(read.body.access).toBe('read');
    expect(read.body.scopes.sort()).toEqual(scopesFor('microsoft_calendar', 'read', false).sort());

    const wide = await stack.connect(email, 'microsoft_calendar', email, { access: 'read_write' });
    expect(wide.status).toBe(200);
    expect(wide.body.id).toBe(read.body.id);
    expect(wide.body.access).toBe('read_write');
    expect(wide.body.scopes).toContain('Calendars.ReadWrite');
    const token = await stack.callerToken(email);
    const list = await stack.api('GET', 'integrations', { token });
    expect(list.body.results).toHaveLength(1);
    expect(list.body.results[0].access).toBe('read_write');
  });

  it('a narrower reconnect is refused with access_downgrade and leaves the integration as it was', async () => {
    const email = 'narrow@contoso.example';
    const wide = await stack.connect(email, 'microsoft_outlook', email, { access: 'read_write' });
    expect(wide.status).toBe(201);
    const narrow = await stack.connect(email, 'microsoft_outlook');
    expect(narrow.status).toBe(400);
    expect(narrow.body.code).toBe('access_downgrade');
    const token = await stack.callerToken(email);
    const after = await stack.api('GET', `integrations/${wide.body.id}`, { token });
    expect(after.body.access).toBe('read_write');
    expect(after.body.scopes.sort()).toEqual(wide.body.scopes.sort());

    const shared = await stack.connect('sharer@contoso.example', 'microsoft_calendar', undefined, {
      shared_calendars: true,
    });
    expect(shared.status).toBe(201);
    expect(shared.body.scopes).toContain('Calendars.Read.Shared');
    const unshared = await stack.connect('sharer@contoso.example', 'microsoft_calendar');
    expect(unshared.body.code).toBe('access_downgrade');
  });

  it('records the scopes Microsoft granted, not those asked for', async () => {
    const email = 'withheld@contoso.example';
    await simControl(stack.sim, 'POST', 'consent', { withhold_next: ['Mail.Send'] });
    const answer = await stack.connect(email, 'microsoft_outlook', email, { access: 'read_write' });
    expect(answer.status).toBe(201);
    expect(answer.body.access).toBe('read_write');
    expect(answer.body.scopes.sort()).toEqual(['Mail.ReadWrite', 'User.Read']);
  });
});
