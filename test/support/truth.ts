import { TableClient } from '@azure/data-tables';
import { eventRowSchema, eventView } from '../../shared/items/event.js';
import { messageRowSchema, messageView } from '../../shared/items/message.js';
import type { GraphAddress, TruthEvent, TruthMessage } from './sim-control.js';
import type { Answer, Stack } from './stack.js';

// Independent projections of the simulator's ground truth (Graph JSON) and of what the app stored,
// onto the fields the API returns, so the two can be compared id by id and field by field.

const z = (s: string | undefined) =>
  s ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`).toISOString().replace(/\.\d{3}Z$/, 'Z') : s;
const text = (html: string) =>
  html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

export function truthEvent(g: TruthEvent) {
  return {
    external_id: g.id,
    title: g.subject ?? '',
    description: text(g.body?.content ?? ''),
    start: z(g.start.dateTime),
    end: z(g.end.dateTime),
    is_all_day: g.isAllDay,
    is_cancelled: g.isCancelled,
    type: g.type,
    series_master_id: g.seriesMasterId ?? null,
    time_zone: g.originalStartTimeZone,
    location: g.location?.displayName ?? '',
    organizer: g.organizer?.emailAddress?.address?.toLowerCase() ?? null,
    attendees: (g.attendees ?? [])
      .map((a) => `${a.emailAddress.address.toLowerCase()}:${a.type}:${a.status?.response}`)
      .sort(),
    attendees_total: (g.attendees ?? []).length,
    web_link: g.webLink,
    modified_at: z(g.lastModifiedDateTime),
  };
}

export function storedEvent(view: ReturnType<typeof eventView>) {
  return {
    external_id: view.external_id,
    title: view.title,
    description: view.description.replace(/\s+/g, ' ').trim(),
    start: view.start,
    end: view.end,
    is_all_day: view.is_all_day,
    is_cancelled: view.is_cancelled,
    type: view.type,
    series_master_id: view.series_master_id,
    time_zone: view.time_zone,
    location: view.location,
    organizer: view.organizer?.email ?? null,
    attendees: view.attendees.map((a) => `${a.email}:${a.type}:${a.response}`).sort(),
    attendees_total: view.attendees_total,
    web_link: view.web_link,
    modified_at: view.modified_at,
  };
}

export function truthMessage(g: TruthMessage) {
  const person = (r: GraphAddress | null | undefined) =>
    r?.emailAddress ? `${r.emailAddress.name}<${r.emailAddress.address.toLowerCase()}>` : null;
  return {
    external_id: g.id,
    subject: g.subject ?? '',
    body_preview: g.bodyPreview ?? '',
    from: person(g.from ?? g.sender),
    to: (g.toRecipients ?? []).map(person),
    cc: (g.ccRecipients ?? []).map(person),
    received_at: z(g.receivedDateTime),
    is_read: g.isRead === true || g.isRead === 'true',
    importance: String(g.importance).toLowerCase(),
    has_attachments: g.hasAttachments,
    conversation_id: g.conversationId,
    web_link: g.webLink,
  };
}

export function storedMessage(view: ReturnType<typeof messageView>) {
  const person = (p: { name: string; email: string } | null) => (p ? `${p.name}<${p.email}>` : null);
  return {
    external_id: view.external_id,
    subject: view.subject,
    body_preview: view.body_preview,
    from: person(view.from),
    to: view.to.map(person),
    cc: view.cc.map(person),
    received_at: view.received_at,
    is_read: view.is_read,
    importance: view.importance,
    has_attachments: view.has_attachments,
    conversation_id: view.conversation_id,
    web_link: view.web_link,
  };
}

/** Every item row (not pointer rows) of one integration's partition, as the API would show them. */
export async function storedRows(stack: Stack, table: 'CalendarEvents' | 'EmailMessages', integrationId: string) {
  const client = TableClient.fromConnectionString(stack.azurite.connectionString, table, {
    allowInsecureConnection: true,
  });
  const items: (ReturnType<typeof storedEvent> | ReturnType<typeof storedMessage>)[] = [];
  let pointers = 0;
  for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${integrationId}'` } })) {
    if (String(row.rowKey).startsWith('p|')) {
      pointers++;
      continue;
    }
    items.push(
      table === 'CalendarEvents'
        ? storedEvent(eventView(eventRowSchema.parse(row), 'microsoft_calendar'))
        : storedMessage(messageView(messageRowSchema.parse(row), 'microsoft_outlook')),
    );
  }
  return { items, pointers };
}

export const byId = <T extends { external_id: string }>(items: T[]) => new Map(items.map((i) => [i.external_id, i]));

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The integration once its last sync succeeded (and finished after `after`, when given); a failed
 * sync fails the wait at once, with its error code.
 */
export function syncSucceeded(stack: Stack, token: string, id: string, after?: string, timeoutMs = 120_000) {
  return waitFor(async () => {
    const res = await stack.api('GET', `integrations/${id}`, { token });
    const last = res.body.last_sync;
    if (last?.status === 'failed') throw new Error(`sync failed: ${JSON.stringify(last.error)}`);
    return last?.status === 'succeeded' && (!after || last.finished_at > after) ? res.body : undefined;
  }, timeoutMs);
}

/** The integration's answer once `done` holds for it. */
export function lastSync(
  stack: Stack,
  token: string,
  id: string,
  done: (body: Answer['body']) => boolean,
  timeoutMs = 120_000,
) {
  return waitFor(async () => {
    const res = await stack.api('GET', `integrations/${id}`, { token });
    return done(res.body) ? res.body : undefined;
  }, timeoutMs);
}

/** `done` for lastSync: a sync that succeeded and finished after `after`. */
export const succeededAfter = (after: string) => (b: { last_sync?: { status: string; finished_at: string } | null }) =>
  b.last_sync?.status === 'succeeded' && b.last_sync.finished_at > after;
