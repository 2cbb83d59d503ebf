import { describe, expect, it } from 'vitest';
import { integrationRowSchema, integrationTable, type Integration } from '../../shared/integrations/model.js';
import { fromRow, toRow } from '../../shared/integrations/repository.js';
import { eventRowSchema, eventTable, eventToRow, eventView, type StoredEvent } from '../../shared/items/event.js';
import { z } from 'zod';
import { CATEGORY_CAP } from '../../shared/items/categories.js';
import { LINK_CAP } from '../../shared/items/people.js';
import { MAX_SEARCH_CHARS } from '../../shared/items/search-text.js';
import {
  api,
  capText,
  fieldTable,
  fitList,
  oneOf,
  PROPERTY_CHAR_LIMIT,
  since,
  text,
  type Column,
} from '../../shared/items/field-table.js';
import {
  messageRowSchema,
  messageTable,
  messageToRow,
  messageView,
  type StoredMessage,
} from '../../shared/items/message.js';

// The field tables' storage promises: no column over Table Storage's 32K-character property limit,
// no entity near 1 MiB, whatever Graph sends; markers say what was cut; rows round-trip.

const huge = (n: number) => 'é'.repeat(n);
const bigPerson = (i: number) => ({ name: `${i} ${huge(5_000)}`, email: `${i}${huge(5_000)}@x.example` });

const hugeEvent: StoredEvent = {
  id: huge(40_000),
  externalId: huge(40_000),
  changeKey: huge(40_000),
  title: huge(40_000),
  description: huge(100_000),
  descriptionTruncated: false,
  startMs: Date.UTC(2024, 0, 1),
  endMs: Date.UTC(2024, 0, 2),
  isAllDay: false,
  timeZone: huge(40_000),
  location: huge(40_000),
  attendees: Array.from({ length: 500 }, (_, i) => ({ ...bigPerson(i), type: huge(1_000), response: huge(1_000) })),
  attendeesTotal: 500,
  organizer: bigPerson(0),
  isCancelled: false,
  type: huge(40_000),
  seriesMasterId: huge(40_000),
  webLink: huge(40_000),
  createdAt: '2024-01-01T00:00:00.000Z',
  modifiedAt: '2024-01-01T00:00:00.000Z',
  timeZoneIana: null,
  showAs: 'busy',
  isOnlineMeeting: true,
  onlineMeetingUrl: huge(40_000),
  categories: Array.from({ length: 500 }, (_, i) => `${i} ${huge(1_000)}`),
};
const hugeMessage: StoredMessage = {
  id: huge(40_000),
  externalId: huge(40_000),
  changeKey: huge(40_000),
  folder: huge(40_000),
  subject: huge(40_000),
  bodyPreview: huge(40_000),
  from: bigPerson(0),
  to: Array.from({ length: 300 }, (_, i) => bigPerson(i)),
  toTotal: 300,
  cc: Array.from({ length: 300 }, (_, i) => bigPerson(i)),
  ccTotal: 300,
  receivedMs: Date.UTC(2024, 0, 1),
  isRead: false,
  importance: 'high',
  hasAttachments: true,
  conversationId: huge(40_000),
  webLink: huge(40_000),
  folderId: huge(40_000),
  categories: Array.from({ length: 500 }, (_, i) => `${i} ${huge(1_000)}`),
};

const without = (row: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

/** Table Storage's size of an entity: UTF-16 strings, 8 bytes a number, plus each property's name. */
const entityBytes = (row: Record<string, Column>) =>
  Object.entries(row).reduce((n, [k, v]) => n + 8 + 2 * k.length + (typeof v === 'string' ? 2 * v.length + 4 : 8), 4);

describe('the field tables', () => {
  for (const [name, table] of [
    ['event', eventTable],
    ['message', messageTable],
    ['integration', integrationTable],
  ] as const) {
    it(`${name}: every column's cap is inside the property limit and all of them inside an entity`, () => {
      for (const [key, field] of Object.entries(table.fields))
        expect(field.cap, key).toBeLessThanOrEqual(PROPERTY_CHAR_LIMIT / 2);
      // Search text (messages) and keys come on top: still far from 1 MiB.
      expect(2 * (table.totalCap + 30_000 + 2_000)).toBeLessThan((1024 * 1024) / 4);
    });
  }

  it('an event of oversized everything is stored within every limit, cut and marked', () => {
    const row = eventToRow('int-1', 'e|k', hugeEvent);
    for (const [key, value] of Object.entries(row))
      if (typeof value === 'string')
        expect(value.length, key).toBeLessThanOrEqual(
          key === 'search' ? MAX_SEARCH_CHARS : (eventTable.fields[key as keyof typeof eventTable.fields]?.cap ?? 100),
        );
    expect(entityBytes(row)).toBeLessThan((1024 * 1024) / 4);
    const view = eventView(eventRowSchema.parse(row), 'microsoft_calendar');
    expect(view.location).toBe(hugeEvent.location.slice(0, view.location.length));
    expect(view.location.length).toBe(eventTable.fields.location.cap);
    expect(view.description_truncated).toBe(false); // the mapper's marker, stored as it came
    expect(view.attendees_total).toBe(500);
    expect(view.attendees.length).toBeGreaterThan(0);
    expect(view.attendees.length).toBeLessThan(500);
    expect(view.organizer?.name.length).toBe(256);
    expect(view.organizer?.email.length).toBe(320);
    expect(view.online_meeting_url?.length).toBe(LINK_CAP);
    expect(view.categories.length).toBeGreaterThan(0);
    expect(view.categories.length).toBeLessThan(500);
    expect(view.categories[0]?.length).toBe(CATEGORY_CAP);
  });

  it('a message of oversized everything is stored within every limit, its lists cut and marked', () => {
    const row = messageToRow('int-1', 'm|k', hugeMessage);
    for (const [key, value] of Object.entries(row))
      if (typeof value === 'string') expect(value.length, key).toBeLessThanOrEqual(30_000);
    expect(entityBytes(row)).toBeLessThan((1024 * 1024) / 4);
    const parsed = messageRowSchema.parse(row);
    const view = messageView(parsed, 'microsoft_outlook');
    expect([view.to_total, view.cc_total]).toEqual([300, 300]);
    expect(view.to.length).toBeGreaterThan(0);
    expect(view.to.length).toBeLessThan(300);
    expect(view.to[0]).toEqual({
      name: capText(hugeMessage.to[0]!.name, 256),
      email: capText(hugeMessage.to[0]!.email, 320),
    });
    // Search covers what is stored of subject, preview and sender.
    expect(parsed.search.startsWith(view.subject)).toBe(true);
  });

  it('rows written before the totals existed read their list length as the total', () => {
    const row = messageToRow('int-1', 'm|k', {
      ...hugeMessage,
      to: hugeMessage.to.slice(0, 2),
      toTotal: 2,
      cc: [],
      ccTotal: 0,
    });
    const old = without(row, 'toTotal', 'ccTotal');
    expect(Object.keys(old)).not.toContain('toTotal');
    const parsed = messageRowSchema.parse(old);
    expect([parsed.toTotal, parsed.ccTotal]).toEqual([2, 0]);
    expect(messageView(parsed, 'microsoft_outlook')).toMatchObject({ to_total: 2, cc_total: 0 });
  });

  it('an event row round-trips: what the record says is what is read back', () => {
    const event: StoredEvent = {
      ...hugeEvent,
      id: 'id',
      externalId: 'AAMk',
      changeKey: 'ck',
      title: 'T',
      description: 'd',
      timeZone: 'UTC',
      location: 'L',
      attendees: [],
      attendeesTotal: 0,
      organizer: null,
      type: 'singleInstance',
      seriesMasterId: null,
      webLink: 'w',
      timeZoneIana: 'Etc/UTC',
      onlineMeetingUrl: null,
      categories: ['Blue category'],
    };
    const { partitionKey, rowKey, search, ...back } = eventRowSchema.parse(eventToRow('int-1', 'e|k', event));
    expect([partitionKey, rowKey, search]).toEqual(['int-1', 'e|k', 't\nl\n\n\nd']);
    expect(back).toEqual(event);
    // Column names of existing rows.
    expect(Object.keys(eventToRow('int-1', 'e|k', event)).sort()).toEqual(
      [
        'partitionKey',
        'rowKey',
        'id',
        'externalId',
        'changeKey',
        'title',
        'description',
        'descriptionTruncated',
        'start',
        'end',
        'isAllDay',
        'timeZone',
        'location',
        'attendees',
        'attendeesTotal',
        'organizer',
        'isCancelled',
        'type',
        'seriesMasterId',
        'webLink',
        'createdAt',
        'modifiedAt',
        'showAs',
        'isOnlineMeeting',
        'onlineMeetingUrl',
        'categories',
        'search',
      ].sort(),
    );
  });

  it('event rows stored before the new fields read as no information; time_zone_iana follows time_zone', () => {
    const event: StoredEvent = {
      ...hugeEvent,
      title: 'Weekly Café',
      description: 'Agenda',
      timeZone: 'W. Europe Standard Time',
      timeZoneIana: 'Europe/Berlin',
      location: 'Room 1',
      attendees: [{ name: 'Zoë', email: 'zoe@x.example', type: 'required', response: 'accepted' }],
      attendeesTotal: 1,
      organizer: { name: 'Jürgen Groß', email: 'j@x.example' },
      type: 'singleInstance',
      seriesMasterId: null,
      webLink: 'w',
      onlineMeetingUrl: 'https://teams.example/join/1',
      categories: ['Blue category'],
    };
    const row = eventToRow('int-1', 'e|k', event);
    expect(row.search.split('\n')).toEqual([
      'weekly café',
      'room 1',
      'jürgen gross',
      'j@x.example',
      'zoë',
      'zoe@x.example',
      'agenda',
    ]);
    const old = without(row, 'showAs', 'isOnlineMeeting', 'onlineMeetingUrl', 'categories', 'search');
    const parsed = eventRowSchema.parse({ ...old, timeZone: 'Tokyo Standard Time' });
    expect(parsed.search).toBe(row.search);
    expect(eventView(parsed, 'microsoft_calendar')).toMatchObject({
      time_zone: 'Tokyo Standard Time',
      time_zone_iana: 'Asia/Tokyo',
      show_as: 'unknown',
      is_online_meeting: false,
      online_meeting_url: null,
      categories: [],
    });
    expect(eventRowSchema.parse({ ...row, timeZone: 'Customized Time Zone' }).timeZoneIana).toBeNull();
  });

  it('message rows stored before categories read as none; the folder is shown', () => {
    const row = messageToRow('int-1', 'm|k', { ...hugeMessage, folder: 'archive', categories: ['Red'] });
    expect(messageView(messageRowSchema.parse(row), 'microsoft_outlook')).toMatchObject({
      folder: 'archive',
      categories: ['Red'],
    });
    expect(messageRowSchema.parse(without(row, 'categories')).categories).toEqual([]);
  });

  it('an integration row round-trips under its existing column names; older rows without a lease read', () => {
    const integration: Integration = {
      id: '6f1c2a8e-0000-4000-8000-000000000001',
      userKey: 'uk',
      provider: 'microsoft_outlook',
      status: 'active',
      account: { email: 'a@x.example', displayName: 'A', tenantId: 't' },
      microsoftUserId: 'm',
      homeAccountId: 'h',
      scopes: ['Mail.Read'],
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      lastSync: null,
      nextSyncAt: '2024-01-01T00:00:00.000Z',
      statusReason: { code: 'invalid_grant', message: 'x'.repeat(10_000), at: '2024-01-01T00:00:00.000Z' },
      lease: { owner: 'job', until: '2024-01-01T00:05:00.000Z' },
    };
    const row = toRow(integration);
    expect(Object.keys(row).sort()).toEqual(
      [
        'partitionKey',
        'rowKey',
        'provider',
        'status',
        'accountEmail',
        'accountName',
        'accountTenantId',
        'microsoftUserId',
        'homeAccountId',
        'scopes',
        'createdAt',
        'updatedAt',
        'lastSync',
        'nextSyncAt',
        'statusReason',
        'lease',
        'realtime',
        'followUp',
      ].sort(),
    );
    const back = fromRow({ ...row, etag: 'W/"1"' });
    expect(back).toEqual({
      ...integration,
      statusReason: { ...integration.statusReason, message: 'x'.repeat(2_000) },
      realtime: { status: 'off', reason: null, subscriptions: {}, failures: 0 },
      followUp: null,
      etag: 'W/"1"',
    });
    expect(integrationRowSchema.parse(without(row, 'lease')).lease).toBeNull();
    // Rows from before real time: off, no follow-up owed.
    const older = integrationRowSchema.parse(without(without(row, 'realtime'), 'followUp'));
    expect(older.realtime).toEqual({ status: 'off', reason: null, subscriptions: {}, failures: 0 });
    expect(older.followUp).toBeNull();
  });

  it('cuts never split a surrogate pair, and lists keep whole entries', () => {
    expect(capText('ab😀', 3)).toBe('ab');
    expect(capText('ab😀', 4)).toBe('ab😀');
    // [{"a":"xx"},{"a":"yy"}] is 23 characters.
    expect(fitList([{ a: 'xx' }, { a: 'yy' }], 22)).toEqual([{ a: 'xx' }]);
    expect(fitList([{ a: 'xx' }, { a: 'yy' }], 23)).toEqual([{ a: 'xx' }, { a: 'yy' }]);
    expect(fitList([{ a: 'xx' }], 11)).toEqual([]);
  });

  it('a field added later reads rows stored before it as its fallback, and parses the column when present', () => {
    const table = fieldTable({
      title: text(10, api('title', z.string())),
      showAs: since(oneOf(['free', 'busy'], api('show_as', z.enum(['free', 'busy']))), 'busy'),
    });
    const schema = z.object(table.shape).transform((columns) => table.read(columns));
    expect(table.view(schema.parse({ title: 'old row' }))).toEqual({ title: 'old row', show_as: 'busy' });
    expect(table.view(schema.parse(table.write({ title: 'a new row!!', showAs: 'free' })))).toEqual({
      title: 'a new row!',
      show_as: 'free',
    });
    expect(schema.safeParse({ title: 'bad', showAs: 'away' }).success).toBe(false);
  });
});
