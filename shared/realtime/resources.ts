import type { Settings } from '../config.js';
import type { Integration } from '../integrations/model.js';
import { providers, type SyncType } from '../providers.js';

/** What one stream subscribes to. */
export interface SubscriptionTarget {
  stream: string;
  resource: string;
  changeType: string;
}

const CHANGE_TYPES = 'created,updated,deleted';

/** The streams of an integration that hold a subscription (no Graph request). */
export function subscribedStreams(integration: Pick<Integration, 'provider'>, settings: Settings): string[] {
  return providers[integration.provider].streams.flatMap((s) =>
    s === 'calendar' ? ['calendar'] : settings.SYNC_MAIL_FOLDERS.map((folder) => `mail:${folder}`),
  );
}

/** The sync type whose round covers a stream. */
export const syncTypeOfStream = (stream: string): SyncType => (stream.startsWith('mail:') ? 'email' : 'calendar');

/**
 * THE mapping stream → subscription resource (CONTRACTS.md §5), in one place. A mail folder
 * subscribes `me/mailFolders('{folder}')/messages`. A per-calendar stream (`calendar:<calendarId>`,
 * cal-sync) subscribes `me/calendars/{id}/events` (`/me/events` reports the default calendar only).
 * Today's single `calendar` stream is the default calendar: `me/calendar/events` names that very
 * calendar without reading its id first (no GET /me/calendar, one Graph request less per creation).
 * Shared calendars get no subscription (delegated scopes cannot subscribe them): cal-sync's stream
 * list must leave them out of {@link subscribedStreams}.
 */
export function subscriptionTarget(stream: string): SubscriptionTarget {
  if (stream.startsWith('mail:')) {
    const folder = stream.slice('mail:'.length).replace(/'/g, "''");
    return { stream, resource: `me/mailFolders('${folder}')/messages`, changeType: CHANGE_TYPES };
  }
  const perCalendar = /^calendar:(.+)$/.exec(stream);
  const resource = perCalendar ? `me/calendars/${perCalendar[1]!}/events` : 'me/calendar/events';
  return { stream, resource, changeType: CHANGE_TYPES };
}
