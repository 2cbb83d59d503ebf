import { z } from 'zod';

export const providerSchema = z.enum(['microsoft_calendar', 'microsoft_outlook'], {
  error: 'must be microsoft_calendar or microsoft_outlook',
});
export type Provider = z.infer<typeof providerSchema>;

export const syncTypeSchema = z.enum(['full', 'calendar', 'email'], { error: 'must be full, calendar or email' });
export type SyncType = z.infer<typeof syncTypeSchema>;

export type Stream = 'calendar' | 'mail';

export const accessSchema = z.enum(['read', 'read_write'], { error: 'must be read or read_write' });
/** What the user let the app do with the account: read it (sync), or also change it (writes). */
export type Access = z.infer<typeof accessSchema>;

interface ProviderSpec {
  /** Least-privilege Graph scopes for reading (the sync): `accessScopes.read`. */
  graphScopes: string[];
  /** Least-privilege Graph scopes per access level (API.md "Access"): the one place they are listed. */
  accessScopes: Record<Access, string[]>;
  /** What `shared_calendars: true` adds per access level; absent where the provider has no such option. */
  sharedScopes?: Record<Access, string[]>;
  streams: Stream[];
  /** The sync types this provider accepts: `full` plus its own stream. */
  syncTypes: SyncType[];
}

export const providers: Record<Provider, ProviderSpec> = {
  microsoft_calendar: {
    graphScopes: ['Calendars.Read', 'MailboxSettings.Read', 'User.Read'],
    accessScopes: {
      read: ['Calendars.Read', 'MailboxSettings.Read', 'User.Read'],
      read_write: ['Calendars.ReadWrite', 'MailboxSettings.Read', 'User.Read'],
    },
    sharedScopes: { read: ['Calendars.Read.Shared'], read_write: ['Calendars.ReadWrite.Shared'] },
    streams: ['calendar'],
    syncTypes: ['full', 'calendar'],
  },
  microsoft_outlook: {
    graphScopes: ['Mail.Read', 'User.Read'],
    accessScopes: { read: ['Mail.Read', 'User.Read'], read_write: ['Mail.ReadWrite', 'Mail.Send', 'User.Read'] },
    streams: ['mail'],
    syncTypes: ['full', 'email'],
  },
};

/** The Graph scopes to ask for (without the OIDC ones) for a provider, an access level and shared calendars. */
export function scopesFor(provider: Provider, access: Access, sharedCalendars: boolean): string[] {
  const spec = providers[provider];
  return [...spec.accessScopes[access], ...(sharedCalendars ? (spec.sharedScopes?.[access] ?? []) : [])];
}

/** Access levels in order of what they allow: a reconnect may widen, never narrow. */
export const ACCESS_RANK: Record<Access, number> = { read: 0, read_write: 1 };

/** Scopes MSAL asks for on top of the Graph scopes: a refresh token and the account's identity. */
export const OIDC_SCOPES = ['offline_access', 'openid', 'profile'];
