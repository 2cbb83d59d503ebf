import { z } from 'zod';

/**
 * Every setting the app reads, parsed once with zod by the composition root (root.ts), the one
 * place in shared/ and functions/ that reads process.env. A missing or bad setting fails with a message naming it (see {@link ConfigError}).
 */
const csv = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p.length > 0));
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
    MICROSOFT_CLIENT_ID: z.string().trim().min(1),
    MICROSOFT_CLIENT_SECRET: z.string().min(1),
    MICROSOFT_TENANT_ID: z.string().trim().regex(/^[A-Za-z0-9.-]+$/).default('common'),
    MICROSOFT_AUTHORITY_HOST: httpsUrl.default('https://login.microsoftonline.com'),
    GRAPH_BASE_URL: httpsUrl.default('https://graph.microsoft.com'),
    OAUTH_REDIRECT_URIS: csv.pipe(z.array(absoluteUrl).min(1)),
    KEY_VAULT_URL: optionalString.pipe(httpsUrl.optional()),
    TOKEN_KEY_SECRET_NAME: z.string().trim().regex(/^[0-9a-zA-Z-]{1,127}$/).default('token-encryption-key'),
    TOKEN_ENCRYPTION_KEY: optionalString,
    SYNC_SCHEDULE: z.string().trim().min(1).default('0 */5 * * * *'),
    SYNC_INTERVAL_MINUTES: int(15, 1, 1440),
    SYNC_CALENDAR_DAYS_BACK: int(30, 0, 365),
    SYNC_CALENDAR_DAYS_AHEAD: int(30, 1, 365),
    SYNC_MAIL_DAYS: int(30, 1, 3650),
    SYNC_MAIL_FOLDERS: csv.pipe(z.array(z.string().regex(/^[A-Za-z0-9=_-]{1,200}$/)).min(1)).default(['inbox']),
    GRAPH_MAX_CONCURRENCY_PER_MAILBOX: int(4, 1, 4),
    GRAPH_PAGE_SIZE: int(100, 1, 1000),
    APPLICATIONINSIGHTS_CONNECTION_STRING: optionalString,
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .superRefine((s, ctx) => {
    if (!s.AzureWebJobsStorage && !s.AzureWebJobsStorage__accountName) {
      ctx.addIssue({ code: 'custom', path: ['AzureWebJobsStorage'], message: 'set a connection string, or AzureWebJobsStorage__accountName for a managed identity' });
    }
    if (s.AUTH_MODE === 'jwt') {
      if (!s.AUTH_ISSUER) ctx.addIssue({ code: 'custom', path: ['AUTH_ISSUER'], message: 'required when AUTH_MODE=jwt' });
      if (!s.AUTH_AUDIENCE) ctx.addIssue({ code: 'custom', path: ['AUTH_AUDIENCE'], message: 'required when AUTH_MODE=jwt' });
    }
    if (!s.KEY_VAULT_URL) {
      const key = s.TOKEN_ENCRYPTION_KEY ? Buffer.from(s.TOKEN_ENCRYPTION_KEY, 'base64') : undefined;
      if (!key || key.length !== 32) {
        ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEY'], message: 'without KEY_VAULT_URL, set the base64 of 32 random bytes (development only)' });
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

/** Parses settings from an environment-like record. Throws ConfigError naming each bad setting. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const picked = Object.fromEntries(settingNames.map((k) => [k, env[k]]));
  const result = settingsSchema.safeParse(picked);
  if (!result.success) {
    // Messages name the setting but never echo its value: values may be secrets.
    throw new ConfigError(
      result.error.issues.map((i) => ({ setting: String(i.path[0] ?? 'settings'), message: i.message })),
    );
  }
  return result.data;
}
