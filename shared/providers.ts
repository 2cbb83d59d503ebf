import { z } from 'zod';

export const providerSchema = z.enum(['microsoft_calendar', 'microsoft_outlook'], {
  error: 'must be microsoft_calendar or microsoft_outlook',
});
export type Provider = z.infer<typeof providerSchema>;

export const syncTypeSchema = z.enum(['full', 'calendar', 'email'], { error: 'must be full, calendar or email' });
export type SyncType = z.infer<typeof syncTypeSchema>;

export type Stream = 'calendar' | 'mail';

interface ProviderSpec {
  /**
   * Least-privilege Graph scopes. Write scopes (Calendars.ReadWrite, Mail.Send) are added here, in
   * this one place, when event writes and sending mail land; existing users then reconnect.
   */
  graphScopes: string[];
  streams: Stream[];
  /** The sync types this provider accepts: `full` plus its own stream. */
  syncTypes: SyncType[];
}

export const providers: Record<Provider, ProviderSpec> = {
  microsoft_calendar: {
    graphScopes: ['Calendars.Read', 'User.Read'],
    streams: ['calendar'],
    syncTypes: ['full', 'calendar'],
  },
  microsoft_outlook: { graphScopes: ['Mail.Read', 'User.Read'], streams: ['mail'], syncTypes: ['full', 'email'] },
};

/** Scopes MSAL asks for on top of the Graph scopes: a refresh token and the account's identity. */
export const OIDC_SCOPES = ['offline_access', 'openid', 'profile'];
