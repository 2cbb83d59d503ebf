import { randomBytes } from 'node:crypto';
import { setProcessSettings } from '../../dev/process-settings.js';

/**
 * Every bench scenario syncs the whole seeded calendar and mailbox: the simulator seeds events
 * within ±60 days and mail within the last 60 days, so windows of 61 days hold all of them and
 * "an integration of 500 events" really stores 500 events.
 */
export const WHOLE_SEED_WINDOW = {
  SYNC_CALENDAR_DAYS_BACK: '61',
  SYNC_CALENDAR_DAYS_AHEAD: '61',
  SYNC_MAIL_DAYS: '61',
};

/** Settings deps() needs when a scenario never talks to Microsoft (B4): syntactically valid, never used. */
export const OFFLINE_SETTINGS = {
  MICROSOFT_CLIENT_ID: 'bench-offline',
  MICROSOFT_CLIENT_SECRET: 'unused',
  OAUTH_REDIRECT_URIS: 'https://app.example/oauth/callback',
  AUTH_MODE: 'easyauth',
};

/**
 * Points the app's settings (process.env, read by shared/config.ts) at this scenario's Azurite and
 * simulator, and drops every memoised adapter so the next call re-reads them. Child processes
 * forked afterwards inherit the same environment.
 */
export function applySettings(values: Record<string, string | undefined>): void {
  const defaults: Record<string, string> = {
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // Never fires during a run: the bench calls the scheduler itself, with the `now` it needs.
    SYNC_SCHEDULE: '0 0 0 1 1 *',
    LOG_LEVEL: 'warn',
    // The simulator is a development endpoint (shared/config-production.ts).
    ALLOW_DEV_ENDPOINTS: 'true',
  };
  setProcessSettings({ ...defaults, ...values });
}
