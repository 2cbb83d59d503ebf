import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
import { clientCredential, tokenExchangeAudience } from '../../shared/oauth/client-credential.js';

// Issue 19, finding 10: a federated credential of the managed identity instead of the client
// secret where the tenant allows it, the secret as the fallback. The identity is a fake of the
// credential port; the assertion is whatever token it returns.

function fakeIdentity(token: AccessToken | null) {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken: async (scope) => {
      scopes.push(String(scope));
      return token;
    },
  };
  return { credential, scopes };
}

describe('the connector app credential', () => {
  it('is the client secret when no federated identity is configured', async () => {
    expect(
      await clientCredential({ clientSecret: 's3cret', authorityHost: 'https://login.microsoftonline.com' }),
    ).toEqual({ clientSecret: 's3cret' });
    await expect(clientCredential({ authorityHost: 'https://login.microsoftonline.com' })).rejects.toThrow(
      /MICROSOFT_CLIENT_SECRET/,
    );
  });

  it('is a client assertion from the managed identity, for the token-exchange audience, asked anew per call', async () => {
    const identity = fakeIdentity({ token: 'mi-token', expiresOnTimestamp: Date.now() + 3_600_000 });
    const result = await clientCredential({
      clientSecret: 'fallback',
      federatedIdentityClientId: 'mi-client',
      authorityHost: 'https://login.microsoftonline.com',
      credential: identity.credential,
    });
    expect(Object.keys(result)).toEqual(['clientAssertion']);
    if (!('clientAssertion' in result)) throw new Error('no assertion');
    expect(await result.clientAssertion()).toBe('mi-token');
    expect(await result.clientAssertion()).toBe('mi-token');
    expect(identity.scopes).toEqual(['api://AzureADTokenExchange/.default', 'api://AzureADTokenExchange/.default']);
  });

  it('uses the national clouds’ audiences, and fails clearly when the identity gives no token', async () => {
    expect(tokenExchangeAudience('https://login.microsoftonline.us')).toBe('api://AzureADTokenExchangeUSGov');
    expect(tokenExchangeAudience('https://login.chinacloudapi.cn')).toBe('api://AzureADTokenExchangeChina');
    expect(tokenExchangeAudience('https://login.microsoftonline.com')).toBe('api://AzureADTokenExchange');
    const identity = fakeIdentity(null);
    const result = await clientCredential({
      federatedIdentityClientId: 'mi-client',
      authorityHost: 'https://login.microsoftonline.us',
      credential: identity.credential,
    });
    if (!('clientAssertion' in result)) throw new Error('no assertion');
    await expect(result.clientAssertion()).rejects.toThrow(/no token/);
    expect(identity.scopes).toEqual(['api://AzureADTokenExchangeUSGov/.default']);
  });
});
