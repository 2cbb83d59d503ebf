import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseSettings } from '../../shared/config.js';
import { callerFrom } from '../../shared/identity/caller.js';
import { callerFromClientPrincipal } from '../../shared/identity/easyauth.js';
import { principalHeader } from '../support/settings.js';

const principal = (body: object) => Buffer.from(JSON.stringify(body)).toString('base64');
const claimsOf = (tid: string, oid: string) => [
  { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: tid },
  { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: oid },
];

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
    ['no identity provider', principal({ claims: claimsOf('t1', 'o1') })],
    ['an empty identity provider', principal({ auth_typ: '', claims: claimsOf('t1', 'o1') })],
  ])('refuses a %s principal with 401', (_name, header) => {
    expect(() => callerFromClientPrincipal(header)).toThrow(
      expect.objectContaining({ status: 401, code: 'unauthenticated' }),
    );
  });

  // Issue 19, finding 1: the same ids from another identity provider are another user.
  it('keys the caller by identity provider too; jwt-mode keys stay exactly as they were', () => {
    const aad = callerFromClientPrincipal(principal({ auth_typ: 'aad', claims: claimsOf('t1', 'o1') }));
    const google = callerFromClientPrincipal(principal({ auth_typ: 'google', claims: claimsOf('t1', 'o1') }));
    const AAD = callerFromClientPrincipal(principal({ auth_typ: 'AAD', claims: claimsOf('t1', 'o1') }));
    expect(aad.userKey).not.toBe(google.userKey);
    expect(AAD.userKey).toBe(aad.userKey); // provider names are case-insensitive
    expect(aad.identityProvider).toBe('aad');
    // The Static Web Apps spelling of the principal names the provider `identityProvider`.
    expect(
      callerFromClientPrincipal(principal({ identityProvider: 'google', claims: claimsOf('t1', 'o1') })).userKey,
    ).toBe(google.userKey);
    // A jwt caller of the same tenant and object id is keyed as before this change (existing data stays reachable).
    const jwtKey = callerFrom('t1', 'o1', undefined)!.userKey;
    expect(jwtKey).toBe(createHash('sha256').update('t1|o1').digest('base64url'));
    expect(callerFrom(undefined, undefined, 's1')!.userKey).toBe(
      createHash('sha256').update('|sub:s1').digest('base64url'),
    );
    expect(aad.userKey).not.toBe(jwtKey);
  });
});

describe('AUTH_MODE=easyauth at start-up', () => {
  const env = {
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    AUTH_MODE: 'easyauth',
    MICROSOFT_CLIENT_ID: 'c',
    MICROSOFT_CLIENT_SECRET: 's',
    OAUTH_REDIRECT_URIS: 'https://app.example/cb',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  };
  const failure = (values: Record<string, string>) => {
    try {
      parseSettings(values);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('is refused unless the platform reports App Service Authentication on, naming WEBSITE_AUTH_ENABLED', () => {
    for (const flag of [undefined, '', 'False', 'false', '1', 'yes']) {
      const error = failure({ ...env, ...(flag === undefined ? {} : { WEBSITE_AUTH_ENABLED: flag }) });
      expect(error, String(flag)).toBeInstanceOf(ConfigError);
      expect(
        (error as ConfigError).issues.map((i) => i.setting),
        String(flag),
      ).toEqual(['WEBSITE_AUTH_ENABLED']);
      expect((error as Error).message).toMatch(/WEBSITE_AUTH_ENABLED: .*App Service Authentication/);
    }
    expect(failure({ ...env, WEBSITE_AUTH_ENABLED: 'True' })).toBeUndefined();
    expect(failure({ ...env, WEBSITE_AUTH_ENABLED: 'true' })).toBeUndefined();
  });

  it('does not concern jwt mode', () => {
    expect(
      failure({ ...env, AUTH_MODE: 'jwt', AUTH_ISSUER: 'https://i.example', AUTH_AUDIENCE: 'api://a' }),
    ).toBeUndefined();
  });
});
