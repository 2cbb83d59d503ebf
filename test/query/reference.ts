import { foldCase, type StoredMessage } from '../../shared/items/message.js';
import type { StoredEvent } from '../../shared/items/event.js';
import { DAY } from './generate.js';
import type { Owned, TestUser, World } from './world.js';

// The answers the API must give, computed from the generated data by plain filtering and sorting,
// without the API's code: no row keys, no table queries, no merge.

/** API timestamps: UTC, whole seconds, `Z`. */
const apiTime = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** CLDR's zones of the Windows names the generated events use (windowsZones.xml, territory 001). */
const IANA_OF: Record<string, string> = {
  UTC: 'Etc/UTC',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Tokyo Standard Time': 'Asia/Tokyo',
};

export function expectedEvent({ integration, item: e }: Owned<StoredEvent>) {
  return {
    id: e.id,
    integration_id: integration.id,
    provider: integration.provider,
    external_id: e.externalId,
    title: e.title,
    description: e.description,
    description_truncated: e.descriptionTruncated,
    start: apiTime(e.startMs),
    end: apiTime(e.endMs),
    is_all_day: e.isAllDay,
    time_zone: e.timeZone,
    location: e.location,
    attendees: e.attendees,
    attendees_total: e.attendeesTotal,
    organizer: e.organizer,
    is_cancelled: e.isCancelled,
    type: e.type,
    series_master_id: e.seriesMasterId,
    web_link: e.webLink,
    created_at: apiTime(Date.parse(e.createdAt)),
    modified_at: apiTime(Date.parse(e.modifiedAt)),
    time_zone_iana: IANA_OF[e.timeZone] ?? null,
    show_as: e.showAs,
    is_online_meeting: e.isOnlineMeeting,
    online_meeting_url: e.onlineMeetingUrl,
    categories: e.categories,
  };
}

export function expectedMessage({ integration, item: m }: Owned<StoredMessage>) {
  return {
    id: m.id,
    integration_id: integration.id,
    provider: integration.provider,
    external_id: m.externalId,
    subject: m.subject,
    body_preview: m.bodyPreview,
    from: m.from,
    to: m.to,
    to_total: m.toTotal,
    cc: m.cc,
    cc_total: m.ccTotal,
    received_at: apiTime(m.receivedMs),
    is_read: m.isRead,
    importance: m.importance,
    has_attachments: m.hasAttachments,
    conversation_id: m.conversationId,
    web_link: m.webLink,
    folder: m.folder,
    categories: m.categories,
  };
}

export interface EventFilter {
  user: TestUser;
  startMs?: number;
  endMs?: number;
  integrationId?: string;
}

/** Events of the user overlapping [start, end) (defaults: now ∓ 30 days), by start, then id. */
export function referenceEvents(world: World, f: EventFilter, now = Date.now()) {
  const start = f.startMs ?? now - 30 * DAY;
  const end = f.endMs ?? now + 30 * DAY;
  return world.events
    .filter((o) => o.user === f.user && (f.integrationId === undefined || o.integration.id === f.integrationId))
    .filter(({ item }) => item.startMs < end && item.endMs > start)
    .sort((a, b) => a.item.startMs - b.item.startMs || byText(a.item.id, b.item.id))
    .map(expectedEvent);
}

export interface MessageFilter {
  user: TestUser;
  integrationId?: string;
  isRead?: boolean;
  importance?: string;
  search?: string;
  receivedAfter?: number;
  receivedBefore?: number;
}

const matches = (m: StoredMessage, term: string) =>
  [m.subject, m.bodyPreview, m.from?.name ?? '', m.from?.email ?? ''].some((field) =>
    foldCase(field).includes(foldCase(term)),
  );

/** Messages of the user passing every filter, newest first, then by id. */
export function referenceMessages(world: World, f: MessageFilter) {
  return world.messages
    .filter((o) => o.user === f.user && (f.integrationId === undefined || o.integration.id === f.integrationId))
    .filter(({ item: m }) => f.isRead === undefined || m.isRead === f.isRead)
    .filter(({ item: m }) => f.importance === undefined || m.importance === f.importance)
    .filter(({ item: m }) => f.receivedAfter === undefined || m.receivedMs > f.receivedAfter)
    .filter(({ item: m }) => f.receivedBefore === undefined || m.receivedMs < f.receivedBefore)
    .filter(({ item: m }) => f.search === undefined || matches(m, f.search))
    .sort((a, b) => b.item.receivedMs - a.item.receivedMs || byText(a.item.id, b.item.id))
    .map(expectedMessage);
}
