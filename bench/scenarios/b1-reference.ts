import type { TableClient } from '@azure/data-tables';
import { createGraphGet } from '../../shared/graph/client.js';
import { mapEvent } from '../../shared/graph/map-event.js';
import { MESSAGE_SELECT, mapMessage } from '../../shared/graph/map-message.js';
import { graphEventSchema, graphMessageSchema } from '../../shared/graph/schemas.js';
import { Semaphore } from '../../shared/graph/semaphore.js';
import { eventToRow } from '../../shared/items/event.js';
import { eventRowKey, messageRowKey } from '../../shared/items/keys.js';
import { messageToRow } from '../../shared/items/message.js';
import { accessTokenProvider } from '../../shared/oauth/access-token.js';
import { adapters } from '../../shared/root.js';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { benchLogger } from '../lib/app.js';
import { mapLimit } from '../lib/stats.js';

export interface Connected {
  userKey: string;
  id: string;
  kind: 'calendar' | 'mail';
}

/**
 * The seed's sync strategy, kept here only as B1's reference: every cycle re-fetch the 100 events
 * of the window and the 50 newest Inbox messages, and upsert each one (one table write per item).
 * It uses the app's token cache, Graph client and mappers, so only the strategy differs.
 */
export async function referenceCycle(
  integrations: Connected[],
  tables: { events: TableClient; messages: TableClient },
  concurrency: number,
): Promise<void> {
  const d = await adapters();
  const repos = await d.stores();
  const log = benchLogger();
  const window = calendarWindow(new Date(), d.settings.SYNC_CALENDAR_DAYS_BACK, d.settings.SYNC_CALENDAR_DAYS_AHEAD);
  await mapLimit(integrations, concurrency, async ({ userKey, id, kind }) => {
    const integration = await repos.integrations.get(userKey, id);
    if (!integration) throw new Error('integration missing');
    const get = createGraphGet({
      baseUrl: d.settings.GRAPH_BASE_URL,
      getAccessToken: accessTokenProvider(d.settings, repos.tokenCaches, integration, log),
      mailboxSlots: new Semaphore(4),
    });
    if (kind === 'calendar') {
      const q = new URLSearchParams({ startDateTime: window.start, endDateTime: window.end, $top: '100' });
      const body = (await get(`/me/calendarView?${q}`, { Prefer: 'outlook.timezone="UTC"' })) as { value: unknown[] };
      for (const raw of body.value) {
        const record = mapEvent(id, graphEventSchema.parse(raw));
        if (record)
          await tables.events.upsertEntity(
            eventToRow(id, eventRowKey(record.startMs, record.endMs, record.id), record),
            'Replace',
          );
      }
    } else {
      const q = new URLSearchParams({ $top: '50', $select: MESSAGE_SELECT, $orderby: 'receivedDateTime desc' });
      const body = (await get(`/me/mailFolders/inbox/messages?${q.toString().replace(/\+/g, '%20')}`)) as {
        value: unknown[];
      };
      for (const raw of body.value) {
        const record = mapMessage(id, 'inbox', graphMessageSchema.parse(raw));
        if (record)
          await tables.messages.upsertEntity(
            messageToRow(id, messageRowKey(record.receivedMs, record.id), record),
            'Replace',
          );
      }
    }
  });
}
