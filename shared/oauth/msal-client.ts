import { ConfidentialClientApplication, type ICachePlugin } from '@azure/msal-node';
import type { Settings } from '../config.js';
import { invocationLogger, type Logger } from '../log.js';
import { msalConfiguration } from './msal-config.js';

/**
 * A confidential client per use: MSAL binds its cache plugin to the instance, and each integration
 * has its own persisted cache. Construction is cheap (no network); discovery metadata is cached
 * by MSAL per authority. MSAL's own lines (warnings and errors; all but PII under LOG_LEVEL=debug)
 * go to `log`, by default the logger of the invocation the call runs in.
 */
export function createMsalClient(
  settings: Settings,
  cachePlugin?: ICachePlugin,
  log?: Logger,
): ConfidentialClientApplication {
  return new ConfidentialClientApplication(
    msalConfiguration({
      clientId: settings.MICROSOFT_CLIENT_ID,
      clientSecret: settings.MICROSOFT_CLIENT_SECRET,
      authorityHost: settings.MICROSOFT_AUTHORITY_HOST,
      tenantId: settings.MICROSOFT_TENANT_ID,
      cachePlugin,
      logLevel: settings.LOG_LEVEL,
      logger: (level, message) => (log ?? invocationLogger())[level]('msal', { message }),
    }),
  );
}
