import { LogLevel, type Configuration, type ICachePlugin } from '@azure/msal-node';
import { IDENTITY_HOSTS } from '../config-production.js';

/** Levels as the app's logger names them (LOG_LEVEL). */
export type MsalLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface MsalConfigInput {
  clientId: string;
  clientSecret: string;
  /** `https://login.microsoftonline.com` (default cloud), a national cloud's host, or a custom https host. */
  authorityHost: string;
  /** Tenant id, or `common` / `organizations`. */
  tenantId: string;
  cachePlugin?: ICachePlugin;
  /** Receives MSAL's lines (never those MSAL marks as PII), at the app's level names. */
  logger?: (level: MsalLogLevel, message: string) => void;
  /** The app's LOG_LEVEL: MSAL reports warnings and errors, and everything but PII under `debug`. */
  logLevel?: MsalLogLevel;
}

// Microsoft's sign-in hosts (public and national clouds). MSAL knows them and discovers their
// metadata itself; any other host is a custom authority host and is described to MSAL up front.
const MICROSOFT_HOSTS = new Set(IDENTITY_HOSTS);

// MSAL's Info lines are step-by-step detail (which flow, which cache entry): debug lines for us.
const levels: Record<LogLevel, MsalLogLevel> = {
  [LogLevel.Error]: 'error',
  [LogLevel.Warning]: 'warn',
  [LogLevel.Info]: 'debug',
  [LogLevel.Verbose]: 'debug',
  [LogLevel.Trace]: 'debug',
};

const msalLevels: Record<MsalLogLevel, LogLevel> = {
  error: LogLevel.Error,
  warn: LogLevel.Warning,
  info: LogLevel.Warning,
  debug: LogLevel.Verbose,
};

/**
 * MSAL Node configuration for a ConfidentialClientApplication. For a custom authority host it sets
 * `knownAuthorities`, `authorityMetadata` and `cloudDiscoveryMetadata`, so MSAL trusts the host
 * and makes no discovery calls (it would otherwise ask login.microsoftonline.com about it).
 * Logging never includes PII; it stops at Warning unless `logLevel` is `debug` (then Verbose).
 */
export function msalConfiguration(input: MsalConfigInput): Configuration {
  const origin = new URL(input.authorityHost).origin;
  const host = new URL(origin).host.toLowerCase();
  const tenant = input.tenantId;
  const authority = `${origin}/${tenant}`;
  const custom = MICROSOFT_HOSTS.has(new URL(origin).hostname.toLowerCase())
    ? {}
    : {
        knownAuthorities: [host],
        cloudDiscoveryMetadata: JSON.stringify({
          tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
        }),
        authorityMetadata: JSON.stringify(openIdMetadata(origin, tenant)),
      };
  const logger = input.logger;
  return {
    auth: { clientId: input.clientId, clientSecret: input.clientSecret, authority, ...custom },
    ...(input.cachePlugin ? { cache: { cachePlugin: input.cachePlugin } } : {}),
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: msalLevels[input.logLevel ?? 'warn'],
        loggerCallback: (level, message, containsPii) => {
          if (logger && !containsPii) logger(levels[level], message);
        },
      },
    },
  };
}

/** The OpenID metadata Microsoft's v2.0 endpoint publishes, for the endpoints MSAL reads. */
function openIdMetadata(origin: string, tenant: string): Record<string, unknown> {
  const shared = ['common', 'organizations', 'consumers'].includes(tenant.toLowerCase());
  return {
    token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${shared ? '{tenantid}' : tenant}/v2.0`,
    authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
  };
}
