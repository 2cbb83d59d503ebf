import { randomBytes } from 'node:crypto';
import { setProcessSettings } from '../../dev/process-settings.js';

/** A development token key for tests: random per test process, never a real secret. */
export const testTokenKey = randomBytes(32).toString('base64');

/**
 * Points the app's settings at test infrastructure (Azurite, the simulator) and drops every
 * memoised adapter so the next call re-reads them. Values not given get safe test defaults.
 */
export function useSettings(values: Record<string, string | undefined>): void {
  const defaults: Record<string, string> = {
    AUTH_MODE: 'easyauth',
    // What the platform sets when App Service Authentication is on: easyauth is refused without it.
    WEBSITE_AUTH_ENABLED: 'True',
    MICROSOFT_CLIENT_ID: 'test-client',
    MICROSOFT_CLIENT_SECRET: 'test-secret',
    OAUTH_REDIRECT_URIS: 'https://app.example/oauth/callback',
    TOKEN_ENCRYPTION_KEY: testTokenKey,
    // The simulator and local stand-ins are development endpoints (shared/config-production.ts).
    ALLOW_DEV_ENDPOINTS: 'true',
  };
  setProcessSettings({ ...defaults, ...values });
}

/** An Easy Auth principal header for a user (AUTH_MODE=easyauth). */
export function principalHeader(tenantId: string, objectId: string): string {
  const principal = {
    auth_typ: 'aad',
    claims: [
      { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: tenantId },
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: objectId },
    ],
  };
  return Buffer.from(JSON.stringify(principal)).toString('base64');
}
