/**
 * The settings these rules read, as config.ts parses them (declared here rather than imported:
 * config.ts calls into this module, and the two must not import each other).
 */
export interface ProductionSettings {
  ALLOW_DEV_ENDPOINTS: boolean;
  MICROSOFT_AUTHORITY_HOST: string;
  GRAPH_BASE_URL: string;
  KEY_VAULT_URL?: string | undefined;
  TOKEN_ENCRYPTION_KEY?: string | undefined;
  AUTH_JWKS_URI?: string | undefined;
  AUTH_MODE: 'jwt' | 'easyauth';
  AUTH_ISSUER?: string | undefined;
  OAUTH_REDIRECT_URIS: string[];
  WEBHOOK_BASE_URL?: string | undefined;
}

// Production rules for the settings that decide where secrets go. The client secret and the users'
// authorization codes go to MICROSOFT_AUTHORITY_HOST, users' access tokens to GRAPH_BASE_URL, the
// managed identity's tokens to KEY_VAULT_URL, and the caller's signing keys come from AUTH_JWKS_URI
// (or the issuer's metadata): outside development each must be Microsoft's or Azure's, over https.
// The simulator, the Key Vault stand-in and http://localhost SPAs need ALLOW_DEV_ENDPOINTS=true,
// which npm start, the tests and the benchmarks set and the Bicep never does (test/infra checks).

/** Microsoft identity platform hosts: the global cloud and its aliases, US Government, China (21Vianet). */
export const IDENTITY_HOSTS: readonly string[] = [
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

/** Microsoft Graph hosts: global, US Government L4 and L5 (DoD), China (21Vianet). */
export const GRAPH_HOSTS: readonly string[] = [
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
];

/** Key Vault DNS suffixes of the live Azure clouds (a vault is `<name>.<suffix>`). */
export const KEY_VAULT_SUFFIXES: readonly string[] = ['vault.azure.net', 'vault.azure.cn', 'vault.usgovcloudapi.net'];

/**
 * TOKEN_ENCRYPTION_KEY as published in local.settings.json.example: anyone can read it, so it
 * protects nothing and is refused unless ALLOW_DEV_ENDPOINTS=true (test/unit/config-production
 * checks that the example still holds this value).
 */
export const PUBLISHED_EXAMPLE_KEY = 'ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE=';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Where the process runs, as the platform says: App Service / Functions set these on every instance. */
export interface Platform {
  inAzure: boolean;
}

/**
 * Azure App Service and Functions (all plans) set WEBSITE_INSTANCE_ID on every worker instance.
 * WEBSITE_SITE_NAME alone is not taken as Azure: tools and harnesses set it to make SDKs behave as
 * in a Function App (the Azure Monitor exporter's resource detection, in test/telemetry).
 */
export function platformOf(env: Record<string, string | undefined>): Platform {
  return { inAzure: Boolean(env.WEBSITE_INSTANCE_ID?.trim()) };
}

type Problem = { setting: keyof ProductionSettings; message: string };

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** An https origin (no userinfo, no port other than 443, no path) on one of `hosts`. */
function isOriginOn(url: string, hosts: readonly string[]): boolean {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password || u.port || u.search || u.hash) return false;
  return (u.pathname === '/' || u.pathname === '') && hosts.includes(u.hostname.toLowerCase());
}

function isKeyVaultUrl(url: string): boolean {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password || u.port) return false;
  const host = u.hostname.toLowerCase();
  return KEY_VAULT_SUFFIXES.some(
    (suffix) => host.endsWith(`.${suffix}`) && /^[a-z0-9-]{3,24}$/.test(host.slice(0, -suffix.length - 1)),
  );
}

/**
 * https, or — with the development switch only — http on a loopback host. Microsoft accepts
 * http://localhost redirect URIs for development; on any other host a code or a key set would
 * cross the network in clear, and a deployed SPA is never on the user's loopback.
 */
function isSecureOrDevLoopback(url: string, dev: boolean): boolean {
  const u = parse(url);
  if (!u || u.username || u.password) return false;
  if (u.protocol === 'https:') return true;
  return dev && u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname.toLowerCase());
}

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a, 'base64');
  return x.length > 0 && x.equals(Buffer.from(b, 'base64'));
}

/**
 * The settings that would send secrets or trust somewhere other than Microsoft and Azure, one
 * problem each (naming the setting, never its value). Empty when the settings are fit for production,
 * or for development with ALLOW_DEV_ENDPOINTS=true outside Azure.
 */
export function productionProblems(s: ProductionSettings, platform: Platform): Problem[] {
  const problems: Problem[] = [];
  const dev = s.ALLOW_DEV_ENDPOINTS;
  if (platform.inAzure && dev) {
    problems.push({
      setting: 'ALLOW_DEV_ENDPOINTS',
      message: 'development endpoints are never allowed in Azure (WEBSITE_INSTANCE_ID is set); remove it',
    });
  }
  // In Azure the switch is refused above; the rules below still apply there, so one bad value is
  // reported together with it.
  const relaxed = dev && !platform.inAzure;
  if (!relaxed) {
    if (!isOriginOn(s.MICROSOFT_AUTHORITY_HOST, IDENTITY_HOSTS)) {
      problems.push({
        setting: 'MICROSOFT_AUTHORITY_HOST',
        message: `must be https://<host> of the Microsoft identity platform (${IDENTITY_HOSTS.join(', ')})`,
      });
    }
    if (!isOriginOn(s.GRAPH_BASE_URL, GRAPH_HOSTS)) {
      problems.push({
        setting: 'GRAPH_BASE_URL',
        message: `must be https://<host> of Microsoft Graph (${GRAPH_HOSTS.join(', ')})`,
      });
    }
    if (s.KEY_VAULT_URL && !isKeyVaultUrl(s.KEY_VAULT_URL)) {
      problems.push({
        setting: 'KEY_VAULT_URL',
        message: `must be https://<vault>.<suffix>/ of Azure Key Vault (${KEY_VAULT_SUFFIXES.join(', ')})`,
      });
    }
    if (
      !platform.inAzure &&
      s.TOKEN_ENCRYPTION_KEY &&
      !s.KEY_VAULT_URL &&
      sameKey(s.TOKEN_ENCRYPTION_KEY, PUBLISHED_EXAMPLE_KEY)
    ) {
      problems.push({
        setting: 'TOKEN_ENCRYPTION_KEY',
        message: 'is the published example key; generate one (development) or use KEY_VAULT_URL',
      });
    }
  }
  if (s.AUTH_JWKS_URI && !isSecureOrDevLoopback(s.AUTH_JWKS_URI, relaxed)) {
    problems.push({
      setting: 'AUTH_JWKS_URI',
      message: 'must be https (http only on localhost with ALLOW_DEV_ENDPOINTS=true)',
    });
  }
  // Without AUTH_JWKS_URI the keys are found through the issuer's OpenID metadata.
  if (
    s.AUTH_MODE === 'jwt' &&
    !s.AUTH_JWKS_URI &&
    s.AUTH_ISSUER &&
    parse(s.AUTH_ISSUER) &&
    !isSecureOrDevLoopback(s.AUTH_ISSUER, relaxed)
  ) {
    problems.push({
      setting: 'AUTH_ISSUER',
      message: 'its OpenID metadata must be fetched over https (or set an https AUTH_JWKS_URI)',
    });
  }
  if (s.OAUTH_REDIRECT_URIS.some((uri) => !isSecureOrDevLoopback(uri, relaxed))) {
    problems.push({
      setting: 'OAUTH_REDIRECT_URIS',
      message: 'every redirect URI must be https (http only on localhost with ALLOW_DEV_ENDPOINTS=true)',
    });
  }
  // Graph posts change notifications (with their clientState) here: https, http only on loopback in development.
  if (s.WEBHOOK_BASE_URL && !isSecureOrDevLoopback(s.WEBHOOK_BASE_URL, relaxed)) {
    problems.push({
      setting: 'WEBHOOK_BASE_URL',
      message: 'must be https (http only on localhost with ALLOW_DEV_ENDPOINTS=true)',
    });
  }
  if (platform.inAzure) {
    if (s.TOKEN_ENCRYPTION_KEY) {
      problems.push({
        setting: 'TOKEN_ENCRYPTION_KEY',
        message: 'an inline key is refused in Azure; the key lives in Key Vault (KEY_VAULT_URL)',
      });
    }
    if (!s.KEY_VAULT_URL) problems.push({ setting: 'KEY_VAULT_URL', message: 'required in Azure' });
  }
  return problems;
}
