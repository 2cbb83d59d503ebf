import { ManagedIdentityCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseSettings } from '../../shared/config.js';
import { exporterCredential, parseAuthenticationString } from '../../shared/telemetry/exporter-credential.js';

// Issue 19, finding 10: Application Insights takes Entra-authenticated telemetry only, so the
// app's exporter signs in as the identity that APPLICATIONINSIGHTS_AUTHENTICATION_STRING names.

const CLIENT_ID = '0f2c9a7e-1b3d-4c5e-8f90-a1b2c3d4e5f6';
const base = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  AUTH_MODE: 'easyauth',
  WEBSITE_AUTH_ENABLED: 'True',
  MICROSOFT_CLIENT_ID: 'client',
  MICROSOFT_CLIENT_SECRET: 'a-secret-value',
  OAUTH_REDIRECT_URIS: 'https://app.example/cb',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('APPLICATIONINSIGHTS_AUTHENTICATION_STRING', () => {
  it('names the user-assigned identity the Bicep sets, in either order, or the system identity', () => {
    expect(parseAuthenticationString(`ClientId=${CLIENT_ID};Authorization=AAD`)).toEqual({ clientId: CLIENT_ID });
    expect(parseAuthenticationString(`Authorization=AAD;ClientId=${CLIENT_ID}`)).toEqual({ clientId: CLIENT_ID });
    expect(parseAuthenticationString('Authorization=AAD')).toEqual({});
    expect(parseAuthenticationString(undefined)).toBeUndefined();
    expect(parseAuthenticationString(`ClientId=${CLIENT_ID}`)).toBeUndefined();
  });

  it('gives the exporter a managed identity credential, and nothing without the setting', async () => {
    expect(await exporterCredential(`ClientId=${CLIENT_ID};Authorization=AAD`)).toBeInstanceOf(
      ManagedIdentityCredential,
    );
    expect(await exporterCredential('Authorization=AAD')).toBeInstanceOf(ManagedIdentityCredential);
    expect(await exporterCredential(undefined)).toBeUndefined();
  });

  it('is a setting parsed at start-up: the Bicep value passes, a malformed one is refused by name', () => {
    expect(
      parseSettings({ ...base, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${CLIENT_ID};Authorization=AAD` })
        .APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
    ).toBe(`ClientId=${CLIENT_ID};Authorization=AAD`);
    expect(
      parseSettings({ ...base, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: '' })
        .APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
    ).toBeUndefined();
    expect(() =>
      parseSettings({ ...base, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=Key;ClientId=x' }),
    ).toThrow(ConfigError);
    expect(() => parseSettings({ ...base, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=Key' })).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ setting: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING' })],
      }),
    );
  });
});
