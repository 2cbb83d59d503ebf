import { describe, expect, it } from 'vitest';
import { callerFromClientPrincipal } from '../../shared/identity/easyauth.js';
import { principalHeader } from '../support/settings.js';

describe('easy auth caller identity', () => {
  it('reads tenant and object id from the platform principal', () => {
    const a = callerFromClientPrincipal(principalHeader('t1', 'o1'));
    const b = callerFromClientPrincipal(principalHeader('t1', 'o2'));
    expect(a.objectId).toBe('o1');
    expect(a.userKey).not.toBe(b.userKey);
  });

  it.each([
    ['missing', null],
    ['not base64 JSON', '%%%'],
    ['no claims', Buffer.from(JSON.stringify({ auth_typ: 'aad' })).toString('base64')],
    ['no user claim', Buffer.from(JSON.stringify({ claims: [{ typ: 'tid', val: 't' }] })).toString('base64')],
  ])('refuses a %s principal with 401', (_name, header) => {
    expect(() => callerFromClientPrincipal(header)).toThrow(expect.objectContaining({ status: 401, code: 'unauthenticated' }));
  });
});
