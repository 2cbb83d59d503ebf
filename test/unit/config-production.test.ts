import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseSettings } from '../../shared/config.js';
import { PUBLISHED_EXAMPLE_KEY } from '../../shared/config-production.js';

// Issue 19, finding 9: development overrides do not work in production. Without ALLOW_DEV_ENDPOINTS
// only Microsoft's and Azure's hosts over https; in Azure never the switch, never an inline key.

const prod = {
  AzureWebJobsStorage__accountName: 'stexample',
  AUTH_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0',
  AUTH_AUDIENCE: 'api://integrato',
  MICROSOFT_CLIENT_ID: 'client',
  MICROSOFT_CLIENT_SECRET: 'a-secret-value',
  OAUTH_REDIRECT_URIS: 'https://app.example/cb',
  KEY_VAULT_URL: 'https://kv-abc123.vault.azure.net/',
};
const azure = { WEBSITE_INSTANCE_ID: '0123abcd', WEBSITE_SITE_NAME: 'func-abc' };
const devKey = Buffer.alloc(32, 7).toString('base64');
const local = {
  ...prod,
  KEY_VAULT_URL: undefined,
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  TOKEN_ENCRYPTION_KEY: devKey,
};

/** The settings each refusal names (values never appear in the message). */
function refused(env: Record<string, string | undefined>): string[] {
  try {
    parseSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.message).not.toContain('a-secret-value');
    return error.issues.map((i) => i.setting);
  }
  return [];
}

describe('settings fit for production (no ALLOW_DEV_ENDPOINTS)', () => {
  it('accepts the deployed shape: defaults, a vault on vault.azure.net, https everywhere, in Azure', () => {
    expect(refused({ ...prod, ...azure })).toEqual([]);
    expect(parseSettings({ ...prod, ...azure }).ALLOW_DEV_ENDPOINTS).toBe(false);
    expect(refused(local)).toEqual([]);
  });

  it.each([
    ['https://login.microsoftonline.us', 'https://graph.microsoft.us', 'https://kv-gov.vault.usgovcloudapi.net/'],
    ['https://login.microsoftonline.us', 'https://dod-graph.microsoft.us', 'https://kv-dod.vault.usgovcloudapi.net/'],
    ['https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn', 'https://kv-cn.vault.azure.cn/'],
    [
      'https://login.partner.microsoftonline.cn',
      'https://microsoftgraph.chinacloudapi.cn',
      'https://kv-cn.vault.azure.cn/',
    ],
  ])('accepts the national clouds: %s, %s, %s', (authority, graph, vault) => {
    expect(
      refused({ ...prod, ...azure, MICROSOFT_AUTHORITY_HOST: authority, GRAPH_BASE_URL: graph, KEY_VAULT_URL: vault }),
    ).toEqual([]);
  });

  it.each([
    ['MICROSOFT_AUTHORITY_HOST', 'https://login.evil.example'],
    ['MICROSOFT_AUTHORITY_HOST', 'https://login.microsoftonline.com.evil.example'],
    ['MICROSOFT_AUTHORITY_HOST', 'https://login.microsoftonline.com:8443'],
    ['MICROSOFT_AUTHORITY_HOST', 'https://user@login.microsoftonline.com'],
    ['MICROSOFT_AUTHORITY_HOST', 'https://localhost:7443'],
    ['GRAPH_BASE_URL', 'https://graph.evil.example'],
    ['GRAPH_BASE_URL', 'https://graph.microsoft.com:443@evil.example'],
    ['GRAPH_BASE_URL', 'https://graph.microsoft.com/proxy'],
    ['GRAPH_BASE_URL', 'https://127.0.0.1:7443'],
    ['KEY_VAULT_URL', 'https://vault.evil.example/'],
    ['KEY_VAULT_URL', 'https://kv.vault.azure.net.evil.example/'],
    ['KEY_VAULT_URL', 'https://localhost:8443/'],
    ['AUTH_JWKS_URI', 'http://keys.example/jwks'],
    ['AUTH_JWKS_URI', 'http://localhost:7443/keys'],
    ['AUTH_ISSUER', 'http://issuer.example/v2.0'],
    ['OAUTH_REDIRECT_URIS', 'http://localhost:5173/oauth/callback'],
    ['OAUTH_REDIRECT_URIS', 'https://app.example/cb, http://app.example/cb'],
  ])('refuses %s = %s', (setting, value) => {
    expect(refused({ ...prod, [setting]: value })).toEqual([setting]);
  });

  it('refuses the key published in local.settings.json.example, in any base64 spelling', () => {
    const example = JSON.parse(readFileSync(new URL('../../local.settings.json.example', import.meta.url), 'utf8')) as {
      Values: Record<string, string>;
    };
    expect(example.Values.TOKEN_ENCRYPTION_KEY).toBe(PUBLISHED_EXAMPLE_KEY);
    expect(refused({ ...local, TOKEN_ENCRYPTION_KEY: PUBLISHED_EXAMPLE_KEY })).toEqual(['TOKEN_ENCRYPTION_KEY']);
    expect(refused({ ...local, TOKEN_ENCRYPTION_KEY: PUBLISHED_EXAMPLE_KEY.replace(/=$/, '') })).toEqual([
      'TOKEN_ENCRYPTION_KEY',
    ]);
    expect(refused({ ...local, TOKEN_ENCRYPTION_KEY: PUBLISHED_EXAMPLE_KEY, ALLOW_DEV_ENDPOINTS: 'true' })).toEqual([]);
  });
});

describe('in Azure (WEBSITE_INSTANCE_ID set by the platform)', () => {
  it('refuses any inline key, and requires Key Vault', () => {
    expect(refused({ ...local, ...azure })).toEqual(['TOKEN_ENCRYPTION_KEY', 'KEY_VAULT_URL']);
    expect(refused({ ...local, WEBSITE_INSTANCE_ID: 'func-abc' })).toEqual(['TOKEN_ENCRYPTION_KEY', 'KEY_VAULT_URL']);
    // A site name alone (set by harnesses to make SDKs act as in a Function App) is not Azure.
    expect(refused({ ...local, WEBSITE_SITE_NAME: 'func-abc' })).toEqual([]);
    expect(refused({ ...local, WEBSITE_INSTANCE_ID: '0123abcd', TOKEN_ENCRYPTION_KEY: PUBLISHED_EXAMPLE_KEY })).toEqual(
      ['TOKEN_ENCRYPTION_KEY', 'KEY_VAULT_URL'],
    );
    // Even beside a vault: an inline key in the app settings is a key outside the vault.
    expect(refused({ ...prod, ...azure, TOKEN_ENCRYPTION_KEY: devKey })).toEqual(['TOKEN_ENCRYPTION_KEY']);
    expect(refused({ ...local, WEBSITE_INSTANCE_ID: '  ' })).toEqual([]);
  });

  it('refuses the development switch, and it relaxes nothing there', () => {
    expect(refused({ ...prod, ...azure, ALLOW_DEV_ENDPOINTS: 'true' })).toEqual(['ALLOW_DEV_ENDPOINTS']);
    expect(
      refused({ ...prod, ...azure, ALLOW_DEV_ENDPOINTS: 'true', GRAPH_BASE_URL: 'https://localhost:7443' }),
    ).toEqual(['ALLOW_DEV_ENDPOINTS', 'GRAPH_BASE_URL']);
  });
});

describe('with ALLOW_DEV_ENDPOINTS=true outside Azure (npm start, tests, benchmarks)', () => {
  const sim = {
    ...local,
    ALLOW_DEV_ENDPOINTS: 'true',
    MICROSOFT_AUTHORITY_HOST: 'https://localhost:7443',
    GRAPH_BASE_URL: 'https://127.0.0.1:7443',
    KEY_VAULT_URL: 'https://localhost:8443/',
    AUTH_ISSUER: 'http://localhost:7443/caller/v2.0',
    AUTH_JWKS_URI: 'http://127.0.0.1:7443/caller/keys',
    OAUTH_REDIRECT_URIS: 'http://localhost:5173/oauth/callback,http://[::1]:5173/cb,https://app.example/cb',
  };

  it('accepts the simulator, a vault stand-in and http on the loopback', () => {
    expect(refused(sim)).toEqual([]);
    expect(parseSettings(sim).ALLOW_DEV_ENDPOINTS).toBe(true);
  });

  it('still refuses http off the loopback (a code or a key set would cross the network in clear)', () => {
    expect(refused({ ...sim, OAUTH_REDIRECT_URIS: 'http://app.example/cb' })).toEqual(['OAUTH_REDIRECT_URIS']);
    expect(refused({ ...sim, AUTH_JWKS_URI: 'http://keys.example/jwks' })).toEqual(['AUTH_JWKS_URI']);
  });

  it('takes only true or false', () => {
    expect(refused({ ...sim, ALLOW_DEV_ENDPOINTS: 'yes' })).toEqual(['ALLOW_DEV_ENDPOINTS']);
    expect(parseSettings({ ...prod, ALLOW_DEV_ENDPOINTS: '' }).ALLOW_DEV_ENDPOINTS).toBe(false);
    expect(parseSettings({ ...prod, ALLOW_DEV_ENDPOINTS: 'false' }).ALLOW_DEV_ENDPOINTS).toBe(false);
  });
});

describe('WEBHOOK_BASE_URL (Graph posts change notifications and their clientState there)', () => {
  const devLocal = { ...local, ALLOW_DEV_ENDPOINTS: 'true' };
  it('https in Azure, the trailing slash dropped; unset means real time off', () => {
    const base = 'https://func-abc.azurewebsites.net/';
    expect(refused({ ...prod, ...azure, WEBHOOK_BASE_URL: base })).toEqual([]);
    expect(parseSettings({ ...prod, ...azure, WEBHOOK_BASE_URL: base }).WEBHOOK_BASE_URL).toBe(
      'https://func-abc.azurewebsites.net',
    );
    expect(parseSettings({ ...prod, ...azure }).WEBHOOK_BASE_URL).toBeUndefined();
    expect(parseSettings({ ...prod, ...azure, WEBHOOK_BASE_URL: ' ' }).WEBHOOK_BASE_URL).toBeUndefined();
  });

  it('http only on a loopback host with the development switch, never in Azure or off the loopback', () => {
    expect(refused({ ...devLocal, WEBHOOK_BASE_URL: 'http://127.0.0.1:7071' })).toEqual([]);
    expect(refused({ ...devLocal, WEBHOOK_BASE_URL: 'http://localhost:7071' })).toEqual([]);
    expect(refused({ ...local, WEBHOOK_BASE_URL: 'http://127.0.0.1:7071' })).toEqual(['WEBHOOK_BASE_URL']);
    expect(refused({ ...devLocal, WEBHOOK_BASE_URL: 'http://app.example' })).toEqual(['WEBHOOK_BASE_URL']);
    expect(refused({ ...prod, ...azure, WEBHOOK_BASE_URL: 'http://func-abc.azurewebsites.net' })).toEqual([
      'WEBHOOK_BASE_URL',
    ]);
    expect(refused({ ...prod, WEBHOOK_BASE_URL: 'ftp://x.example' })).toEqual(['WEBHOOK_BASE_URL']);
    expect(refused({ ...prod, WEBHOOK_BASE_URL: 'https://x.example/?a=1' })).toEqual(['WEBHOOK_BASE_URL']);
  });

  it('SYNC_RECONCILE_HOURS defaults to 6 and stays within a week', () => {
    expect(parseSettings(prod).SYNC_RECONCILE_HOURS).toBe(6);
    expect(refused({ ...prod, SYNC_RECONCILE_HOURS: '0' })).toEqual(['SYNC_RECONCILE_HOURS']);
    expect(refused({ ...prod, SYNC_RECONCILE_HOURS: '169' })).toEqual(['SYNC_RECONCILE_HOURS']);
  });
});
