import { z } from 'zod';
import { platformOf, productionProblems } from './config-production.js';

/**
 * Every setting the app reads, parsed once with zod by the composition root (root.ts), the one
 * place in shared/ and functions/ that reads process.env. A missing or bad setting fails with a message naming it (see {@link ConfigError}).
 */
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0),
);
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));
const httpsUrl = z.url({ protocol: /^https$/ }).transform((u) => u.replace(/\/+$/, ''));
const absoluteUrl = z.url({ protocol: /^https?$/ });

export const settingsSchema = z
  .object({
    AzureWebJobsStorage: optionalString,
    AzureWebJobsStorage__accountName: optionalString,
    AUTH_MODE: z.enum(['jwt', 'easyauth']).default('jwt'),
    AUTH_ISSUER: optionalString,
    AUTH_AUDIENCE: optionalString,
    AUTH_JWKS_URI: optionalString.pipe(absoluteUrl.optional()),
    AUTH_CLOCK_SKEW_SECONDS: int(60, 0, 600),
    // A scope-token of RFC 6749 §3.3: what `scp` of a delegated token for this API must contain.
    AUTH_REQUIRED_SCOPE: z
      .string()
      .trim()
      .regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/)
      .default('access_as_user'),
    AUTH_ALLOWED_CLIENT_IDS: z
      .string()
      .optional()
      .transform((s) =>
        (s ?? '')
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p.length > 0),
      )
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9._:-]{1,256}$/)).max(50)),
    MICROSOFT_CLIENT_ID: z.string().trim().min(1),
    MICROSOFT_CLIENT_SECRET: z.string().min(1),
    MICROSOFT_TENANT_ID: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]+$/)
      .default('common'),
    MICROSOFT_AUTHORITY_HOST: httpsUrl.default('https://login.microsoftonline.com'),
    GRAPH_BASE_URL: httpsUrl.default('https://graph.microsoft.com'),
    OAUTH_REDIRECT_URIS: csv.pipe(z.array(absoluteUrl).min(1)),
    KEY_VAULT_URL: optionalString.pipe(httpsUrl.optional()),
    TOKEN_KEY_SECRET_NAME: z
      .string()
      .trim()
      .regex(/^[0-9a-zA-Z-]{1,127}$/)
      .default('token-encryption-key'),
    TOKEN_ENCRYPTION_KEY: optionalString,
    SYNC_SCHEDULE: z.string().trim().min(1).default('0 */5 * * * *'),
    SYNC_INTERVAL_MINUTES: int(15, 1, 1440),
    SYNC_CALENDAR_DAYS_BACK: int(30, 0, 365),
    SYNC_CALENDAR_DAYS_AHEAD: int(30, 1, 365),
    SYNC_MAIL_DAYS: int(30, 1, 3650),
    SYNC_MAIL_FOLDERS: csv.pipe(z.array(z.string().regex(/^[A-Za-z0-9=_-]{1,200}$/)).min(1)).default(['inbox']),
    GRAPH_MAX_CONCURRENCY_PER_MAILBOX: int(4, 1, 4),
    GRAPH_PAGE_SIZE: int(100, 1, 1000),
    SYNC_MAX_PAGES_PER_STREAM: int(3000, 1, 100_000),
    // --- Real time (Graph change notifications): off without WEBHOOK_BASE_URL. ---
    // The public base of this Function App (https://<host>); Graph posts to <base>/api/integrations/notifications.
    // https only, except http on a loopback host in development (config-production.ts).
    WEBHOOK_BASE_URL: optionalString.pipe(
      z
        .url({ protocol: /^https?$/ })
        .refine((u) => !/[?#]/.test(u), 'no query or fragment')
        .transform((u) => u.replace(/\/+$/, ''))
        .optional(),
    ),
    // While realtime is active, scheduled polling (the reconciliation) runs this many hours apart.
    SYNC_RECONCILE_HOURS: int(6, 1, 168),
    // NCRONTAB of the renewal timer that renews subscriptions ahead of expiry (shared/realtime/renewal.ts).
    SUBSCRIPTION_RENEWAL_SCHEDULE: z.string().trim().min(1).default('0 */15 * * * *'),
    APPLICATIONINSIGHTS_CONNECTION_STRING: optionalString,
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    // --- Production overrides (shared/config-production.ts): development endpoints only with this switch. ---
    ALLOW_DEV_ENDPOINTS: optionalString.pipe(z.enum(['true', 'false']).optional()).transform((v) => v === 'true'),
    // Entra-authenticated telemetry (local auth is off on Application Insights): which identity signs in.
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: optionalString.pipe(
      z
        .string()
        .regex(
          /^(?:Authorization=AAD(?:;ClientId=[0-9a-fA-F-]{36})?|ClientId=[0-9a-fA-F-]{36};Authorization=AAD)$/,
          'Authorization=AAD;ClientId=<client id>',
        )
        .optional(),
    ),
  })
  .superRefine((s, ctx) => {
    if (!s.AzureWebJobsStorage && !s.AzureWebJobsStorage__accountName) {
      ctx.addIssue({
        code: 'custom',
        path: ['AzureWebJobsStorage'],
        message: 'set a connection string, or AzureWebJobsStorage__accountName for a managed identity',
      });
    }
    if (s.AUTH_MODE === 'jwt') {
      if (!s.AUTH_ISSUER)
        ctx.addIssue({ code: 'custom', path: ['AUTH_ISSUER'], message: 'required when AUTH_MODE=jwt' });
      if (!s.AUTH_AUDIENCE)
        ctx.addIssue({ code: 'custom', path: ['AUTH_AUDIENCE'], message: 'required when AUTH_MODE=jwt' });
    }
    if (!s.KEY_VAULT_URL) {
      const key = s.TOKEN_ENCRYPTION_KEY ? Buffer.from(s.TOKEN_ENCRYPTION_KEY, 'base64') : undefined;
      if (!key || key.length !== 32) {
        ctx.addIssue({
          code: 'custom',
          path: ['TOKEN_ENCRYPTION_KEY'],
          message: 'without KEY_VAULT_URL, set the base64 of 32 random bytes (development only)',
        });
      }
    }
  });

export type Settings = z.infer<typeof settingsSchema>;

/** The settings schema's keys: the single list that local.settings.json.example and infra/ must match. */
export const settingNames = Object.keys(settingsSchema.shape) as (keyof Settings)[];

export class ConfigError extends Error {
  constructor(readonly issues: { setting: string; message: string }[]) {
    super(`Invalid settings: ${issues.map((i) => `${i.setting}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Easy Auth's `x-ms-client-principal` is only a credential where App Service Authentication
 * strips it from inbound requests; otherwise anyone can send one. The platform (not the app's
 * settings, so not the schema) sets WEBSITE_AUTH_ENABLED=True when authentication is on.
 */
function platformIssues(env: Record<string, string | undefined>): { setting: string; message: string }[] {
  if (env.AUTH_MODE?.trim() !== 'easyauth' || /^true$/i.test(env.WEBSITE_AUTH_ENABLED?.trim() ?? '')) return [];
  return [
    {
      setting: 'WEBSITE_AUTH_ENABLED',
      message:
        'AUTH_MODE=easyauth needs App Service Authentication on (the platform sets WEBSITE_AUTH_ENABLED=True); ' +
        'without it anyone can send x-ms-client-principal. Enable it (infra/ does when authMode is easyauth) or use AUTH_MODE=jwt',
    },
  ];
}

/** Parses settings from an environment-like record. Throws ConfigError naming each bad setting. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const picked = Object.fromEntries(settingNames.map((k) => [k, env[k]]));
  const result = settingsSchema.safeParse(picked);
  // Messages name the setting but never echo its value: values may be secrets.
  const issues = [
    ...(result.success
      ? []
      : result.error.issues.map((i) => ({ setting: String(i.path[0] ?? 'settings'), message: i.message }))),
    ...platformIssues(env),
  ];
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  // --- Production overrides: hosts, schemes and keys fit for Azure (shared/config-production.ts). ---
  const production = productionProblems(result.data, platformOf(env));
  if (production.length > 0) throw new ConfigError(production);
  return result.data;
}
