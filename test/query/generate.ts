import { itemId } from '../../shared/items/keys.js';
import { SHOW_AS, type StoredEvent } from '../../shared/items/event.js';
import { ianaZoneOf } from '../../shared/time/zones.js';
import type { StoredMessage } from '../../shared/items/message.js';

// Seeded test data for the query tests: calendars and mailboxes with the awkward cases the
// queries must get right (month boundaries, long and all-day events, ties, non-ASCII text).

export const DAY = 24 * 3600 * 1000;
export const HOUR = 3600 * 1000;
export const MINUTE = 60 * 1000;

/** mulberry32: small, seedable, good enough to pick test data. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof rng>;

/** A UUID-shaped id drawn from the seeded generator, so a seed reproduces the ids (and their order) too. */
export function seededUuid(r: Rng): string {
  const hex = Array.from({ length: 4 }, () => r.int(0, 0xffffffff).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const WORDS = [
  'Café',
  'café au lait',
  'CAFÉ Noir',
  'Cafe\u0301 (decomposed)',
  'STRASSE',
  'Straße',
  'Hauptstrasse 5',
  '日本',
  '日本語のメール',
  'Résumé',
  'Quarterly report',
  'IMPORTANT: action needed',
  'invoice #4411',
  "x' or PartitionKey ne '",
  'naïve façade',
  'ÆSIR',
  'Ünïcödé',
];
export const PEOPLE = [
  { name: 'Jürgen Groß', email: 'juergen@example.de' },
  { name: 'STRASSE GmbH', email: 'Info@Strasse.example' },
  { name: '日本 太郎', email: 'taro@example.jp' },
  { name: 'Zoë Café', email: 'zoe.cafe@example.com' },
  { name: 'Plain Person', email: 'plain@example.com' },
];
export const CATEGORIES = ['Blue category', 'Kategorie Grün', '重要'];
const text = (r: Rng) =>
  `${r.pick(WORDS)} ${r.pick(['', 'and', '–', '/'])} ${r.chance(0.5) ? r.pick(WORDS) : ''}`.trim();

/**
 * Event instants, kept out of the hour around now ± 30 days: there the default window's edges
 * fall while a test runs, and an event right on an edge would make the expected answer depend on
 * the exact millisecond of the request.
 */
function clearOfDefaultEdges(ms: number, now: number): number {
  for (const edge of [now - 30 * DAY, now + 30 * DAY]) if (Math.abs(ms - edge) < HOUR) return ms + 3 * HOUR;
  return ms;
}

export function generateEvent(r: Rng, integrationId: string, now: number, sameStartAs?: number): StoredEvent {
  const kind = r.pick(['timed', 'timed', 'timed', 'long', 'allDay'] as const);
  const minute = now - (now % MINUTE) + r.int(-150 * 24 * 60, 150 * 24 * 60) * MINUTE;
  let startMs = r.chance(0.15) ? minute + r.int(1, 59_999) : minute;
  let durationMs = r.pick([
    0,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    DAY,
    3 * DAY,
    6 * DAY,
    7 * DAY - MINUTE,
    7 * DAY,
  ]);
  if (kind === 'long') durationMs = r.pick([7 * DAY + 1, 7 * DAY + MINUTE, 8 * DAY, 21 * DAY, 45 * DAY, 90 * DAY]);
  if (kind === 'allDay') {
    startMs -= startMs % DAY;
    durationMs = r.int(1, 14) * DAY;
  }
  startMs = sameStartAs ?? clearOfDefaultEdges(startMs, now);
  let endMs = clearOfDefaultEdges(startMs + durationMs, now);
  if (endMs < startMs) endMs = startMs;
  const externalId = `AAMk${seededUuid(r)}`;
  const timeZone = r.pick(['UTC', 'W. Europe Standard Time', 'Tokyo Standard Time', 'tzone://Microsoft/Custom']);
  const organizer = r.chance(0.8) ? r.pick(PEOPLE) : null;
  const attendees = PEOPLE.slice(0, r.int(0, 3)).map((p) => ({
    ...p,
    type: r.pick(['required', 'optional', 'resource']),
    response: r.pick(['accepted', 'none', 'organizer']),
  }));
  const isOnlineMeeting = r.chance(0.4);
  return {
    id: itemId(integrationId, externalId),
    externalId,
    changeKey: `ck-${r.int(1, 1e6)}`,
    title: text(r),
    description: r.chance(0.7) ? text(r) : '',
    descriptionTruncated: r.chance(0.1),
    startMs,
    endMs,
    isAllDay: kind === 'allDay',
    timeZone,
    timeZoneIana: ianaZoneOf(timeZone),
    location: r.chance(0.5) ? text(r) : '',
    attendees,
    attendeesTotal: attendees.length + r.int(0, 2),
    organizer,
    isCancelled: r.chance(0.1),
    type: r.pick(['singleInstance', 'occurrence', 'exception']),
    seriesMasterId: r.chance(0.2) ? `AAMk-series-${r.int(1, 9)}` : null,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(externalId)}`,
    createdAt: new Date(startMs - 5 * DAY).toISOString(),
    modifiedAt: new Date(startMs - DAY + r.int(0, 999)).toISOString(),
    showAs: r.pick(SHOW_AS),
    isOnlineMeeting,
    onlineMeetingUrl: isOnlineMeeting && r.chance(0.9) ? `https://teams.example/join/${r.int(1, 1e6)}` : null,
    categories: r.chance(0.3) ? [r.pick(CATEGORIES)] : [],
  };
}

export function generateMessage(r: Rng, integrationId: string, now: number, sameTimeAs?: number): StoredMessage {
  const receivedMs = sameTimeAs ?? now - r.int(0, 200 * 24 * 60) * MINUTE - (r.chance(0.2) ? r.int(1, 59_999) : 0);
  const externalId = `AAMkMsg${seededUuid(r)}`;
  const folder = r.pick(['inbox', 'inbox', 'archive']);
  const message = {
    id: itemId(integrationId, externalId),
    externalId,
    changeKey: `ck-${r.int(1, 1e6)}`,
    folder,
    folderId: `AAMkFolder-${folder}`,
    subject: text(r),
    bodyPreview: r.chance(0.8) ? text(r) : '',
    from: r.chance(0.9) ? r.pick(PEOPLE) : null,
    to: PEOPLE.slice(0, r.int(1, 2)),
    cc: r.chance(0.3) ? [r.pick(PEOPLE)] : [],
    receivedMs,
    isRead: r.chance(0.5),
    importance: r.pick(['low', 'normal', 'normal', 'high'] as const),
    hasAttachments: r.chance(0.2),
    conversationId: `conv-${r.int(1, 20)}`,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(externalId)}`,
    categories: r.chance(0.2) ? [r.pick(CATEGORIES)] : [],
  };
  return { ...message, toTotal: message.to.length, ccTotal: message.cc.length };
}

/** `ms` written in local time at a UTC offset (minutes), e.g. `2024-02-01T01:30:00+02:00`. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
