import type { AccountInfo } from '@azure/msal-node';
import { afterEach, describe, expect, it } from 'vitest';
import { settings } from '../../shared/root.js';
import { createLogger, withInvocationLogger } from '../../shared/log.js';
import { createMsalClient } from '../../shared/oauth/msal-client.js';
import { useSettings } from '../support/settings.js';

// Issue 12, item 6: MSAL's logger is wired into ours. A custom authority host is described to MSAL
// up front (msal-config.ts), so nothing here reaches the network.

const HINT = 'hinted.person@contoso.example';
const account: AccountInfo = {
  homeAccountId: '00000000-0000-0000-0000-00000000000a.00000000-0000-0000-0000-00000000000b',
  environment: 'login.example.test',
  tenantId: '00000000-0000-0000-0000-00000000000b',
  username: HINT,
  localAccountId: '00000000-0000-0000-0000-00000000000a',
  idTokenClaims: { login_hint: 'opaque-login-hint-claim-value' },
};

function use(LOG_LEVEL: string | undefined) {
  useSettings({
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    MICROSOFT_AUTHORITY_HOST: 'https://login.example.test',
    LOG_LEVEL,
  });
}

async function authUrlLines(): Promise<string[]> {
  const lines: string[] = [];
  const push = (line: string) => void lines.push(line);
  const log = createLogger({ debug: push, info: push, warn: push, error: push });
  // `domainHint` with an account that carries a login_hint claim: MSAL warns that it drops the claim.
  await withInvocationLogger(log, () =>
    createMsalClient(settings()).getAuthCodeUrl({
      scopes: ['Calendars.Read'],
      redirectUri: 'https://app.example/oauth/callback',
      account,
      domainHint: 'contoso.example',
      state: 'state-value-that-is-secret-0123456789',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      codeChallengeMethod: 'S256',
    }),
  );
  return lines;
}

afterEach(() => use(undefined));

describe("MSAL's logger", () => {
  it("MSAL's warnings reach the invocation's log, at warn, under the default level", async () => {
    use(undefined);
    const lines = await authUrlLines();
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'msal');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((l) => l.level === 'warn')).toBe(true);
    expect(warnings.some((l) => /domainHint/.test(l.message))).toBe(true);
  });

  it("LOG_LEVEL=debug adds MSAL's verbose lines; none carries PII, the state or the challenge", async () => {
    use('debug');
    const lines = await authUrlLines();
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.filter((l) => l.level === 'debug' && l.msg === 'msal').length).toBeGreaterThan(0);
    expect(parsed.some((l) => l.level === 'warn' && /domainHint/.test(l.message))).toBe(true);
    for (const line of lines) {
      for (const secret of [
        HINT,
        'opaque-login-hint-claim-value',
        'state-value-that-is-secret',
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw',
      ])
        expect(line).not.toContain(secret);
    }
  });

  it('LOG_LEVEL=error keeps the warning out', async () => {
    use('error');
    expect(await authUrlLines()).toEqual([]);
  });
});
