import type { TableClient, TransactionAction } from '@azure/data-tables';
import { callerFrom } from '../../shared/identity/caller.js';
import type { Integration } from '../../shared/integrations/model.js';
import { eventToRow, type StoredEvent } from '../../shared/items/event.js';
import { eventRowKey, itemId, messageRowKey, pointerKey } from '../../shared/items/keys.js';
import { messageToRow, type StoredMessage } from '../../shared/items/message.js';
import { providers, type Provider } from '../../shared/providers.js';
import { adapters } from '../../shared/root.js';
import { submitGroups } from '../../shared/storage/partition.js';
import { principalHeader } from '../support/settings.js';
import { generateEvent, generateMessage, HOUR, rng, seededUuid, type Rng } from './generate.js';

export interface TestUser {
  label: string;
  header: string;
  calendars: Integration[];
  mailboxes: Integration[];
}
export interface Owned<T> {
  user: TestUser;
  integration: Integration;
  item: T;
}
export interface World {
  now: number;
  users: [TestUser, TestUser];
  events: Owned<StoredEvent>[];
  messages: Owned<StoredMessage>[];
}

export const INJECTION = "x' or PartitionKey ne '";

function newIntegration(r: Rng, userKey: string, provider: Provider, now: number, n: number): Integration {
  const at = new Date(now - 1000 * (10 - n)).toISOString();
  return {
    id: seededUuid(r),
    userKey,
    provider,
    status: n === 1 ? 'reauth_required' : 'active',
    account: { email: `user${n}@example.com`, displayName: `User ${n}`, tenantId: 'tenant-1' },
    microsoftUserId: seededUuid(r),
    homeAccountId: `${seededUuid(r)}.tenant-1`,
    scopes: providers[provider].graphScopes,
    createdAt: at,
    updatedAt: at,
    lastSync: null,
    nextSyncAt: at,
    statusReason: null,
    lease: null,
  };
}

function newUser(
  r: Rng,
  label: string,
  calendars: number,
  mailboxes: number,
  now: number,
): TestUser & { userKey: string } {
  const objectId = seededUuid(r);
  const { userKey } = callerFrom('tenant-1', objectId, undefined, 'aad') ?? { userKey: '' };
  return {
    label,
    userKey,
    header: principalHeader('tenant-1', objectId),
    calendars: Array.from({ length: calendars }, (_, i) => newIntegration(r, userKey, 'microsoft_calendar', now, i)),
    mailboxes: Array.from({ length: mailboxes }, (_, i) =>
      newIntegration(r, userKey, 'microsoft_outlook', now, calendars + i),
    ),
  };
}

/**
 * Two users with overlapping data (B holds copies of some of A's items: same Graph ids, times and
 * text, in B's own integrations), generated from `seed`. Call after useSettings points at Azurite.
 */
export async function seedWorld(seed: number): Promise<World> {
  const r = rng(seed);
  const now = Date.now();
  const a = newUser(r, 'A', 2, 2, now);
  const b = newUser(r, 'B', 1, 1, now);
  const events: Owned<StoredEvent>[] = [];
  const messages: Owned<StoredMessage>[] = [];
  for (const [user, perIntegration] of [
    [a, 70],
    [b, 35],
  ] as const) {
    for (const integration of user.calendars) {
      for (let i = 0; i < perIntegration; i++) {
        const tie = events.length > 0 && r.chance(0.1) ? r.pick(events).item.startMs : undefined;
        events.push({ user, integration, item: generateEvent(r, integration.id, now, tie) });
      }
    }
    for (const integration of user.mailboxes) {
      for (let i = 0; i < perIntegration; i++) {
        const tie = messages.length > 0 && r.chance(0.1) ? r.pick(messages).item.receivedMs : undefined;
        messages.push({ user, integration, item: generateMessage(r, integration.id, now, tie) });
      }
      const injection = generateMessage(r, integration.id, now);
      messages.push({ user, integration, item: { ...injection, subject: `${INJECTION} from ${user.label}` } });
    }
  }
  // The overlap: B's integrations also hold some of A's items (their own ids, as sync would make).
  for (const source of events.filter((e) => e.user === a).slice(0, 25)) {
    const integration = b.calendars[0] as Integration;
    events.push({ user: b, integration, item: { ...source.item, id: itemId(integration.id, source.item.externalId) } });
  }
  for (const source of messages.filter((m) => m.user === a).slice(0, 25)) {
    const integration = b.mailboxes[0] as Integration;
    messages.push({
      user: b,
      integration,
      item: { ...source.item, id: itemId(integration.id, source.item.externalId) },
    });
  }
  await store({ now, users: [a, b], events, messages });
  return { now, users: [a, b], events, messages };
}

async function store(world: World): Promise<void> {
  const d = await adapters();
  const { integrations } = await d.stores();
  for (const user of world.users) for (const i of [...user.calendars, ...user.mailboxes]) await integrations.create(i);
  const rows = (
    table: Map<string, TransactionAction[]>,
    row: Record<string, unknown> & { partitionKey: string; rowKey: string },
  ) => {
    const list = table.get(row.partitionKey) ?? [];
    list.push(['upsert', row, 'Replace']);
    // Pointer rows carry a full copy of the item's columns here: a query that ever read `p|` rows
    // would return duplicates, which the tests would see.
    list.push([
      'upsert',
      { ...row, rowKey: pointerKey(String(row.id)), itemRowKey: row.rowKey, hash: 'h', round: 'r1', folder: '' },
      'Replace',
    ]);
    table.set(row.partitionKey, list);
  };
  const eventRows = new Map<string, TransactionAction[]>();
  const messageRows = new Map<string, TransactionAction[]>();
  for (const { integration, item } of world.events)
    rows(eventRows, eventToRow(integration.id, eventRowKey(item.startMs, item.endMs, item.id), item));
  for (const { integration, item } of world.messages)
    rows(messageRows, messageToRow(integration.id, messageRowKey(item.receivedMs, item.id), item));
  // Damaged rows inside every query's range: they must be skipped, never returned or a 500.
  const a = world.users[0];
  const calendar = a.calendars[0] as Integration;
  const mailbox = a.mailboxes[0] as Integration;
  const damagedEvent = generateEvent(rng(1), calendar.id, world.now);
  const eventRow = eventToRow(calendar.id, eventRowKey(world.now, world.now + HOUR, damagedEvent.id), {
    ...damagedEvent,
    startMs: world.now,
    endMs: world.now + HOUR,
  });
  eventRows.get(calendar.id)?.push(['upsert', { ...eventRow, attendees: 'not json' }, 'Replace']);
  const damagedMessage = generateMessage(rng(2), mailbox.id, world.now);
  const messageRow = messageToRow(mailbox.id, messageRowKey(world.now - HOUR, damagedMessage.id), damagedMessage);
  messageRows.get(mailbox.id)?.push(['upsert', { ...messageRow, importance: 'urgent' }, 'Replace']);

  const write = async (table: TableClient, byPartition: Map<string, TransactionAction[]>) => {
    for (const actions of byPartition.values())
      await submitGroups(
        table,
        actions.map((a) => ({ actions: [a], tag: null })),
      );
  };
  await write(await d.storage.table('CalendarEvents'), eventRows);
  await write(await d.storage.table('EmailMessages'), messageRows);
}
