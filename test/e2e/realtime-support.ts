import { TableClient } from '@azure/data-tables';
import { calendarWindow } from '../../shared/sync/calendar-stream.js';
import { calendarTruth, simControl } from '../support/sim-control.js';
import type { Stack } from '../support/stack.js';
import { byId, storedRows, truthEvent, waitFor } from '../support/truth.js';

// Helpers of the real-time e2e tests: the app's subscription rows, the simulator's Graph request
// counts, and "the store equals the ground truth".

/** The app's Subscriptions rows of one integration (read straight from Azurite). */
export async function subscriptionRows(stack: Stack, integrationId: string) {
  const client = TableClient.fromConnectionString(stack.azurite.connectionString, 'Subscriptions', {
    allowInsecureConnection: true,
  });
  const rows: Record<string, unknown>[] = [];
  for await (const row of client.listEntities({ queryOptions: { filter: `integrationId eq '${integrationId}'` } }))
    rows.push(row);
  return rows;
}

/** Graph requests the simulator served, by `METHOD /template` (or all of them). */
export async function graphCount(stack: Stack, path?: string): Promise<number> {
  const stats = await simControl(stack.sim, 'GET', 'stats');
  if (!path) return stats.graph_requests;
  return Object.entries(stats.by_path)
    .filter(([key]) => key.includes(path))
    .reduce((n, [, count]) => n + count, 0);
}

export const DELTA = 'calendarView/delta';

/** Whether the stored events of the integration equal the simulator's calendar in the window. */
export async function calendarMatches(stack: Stack, email: string, integrationId: string): Promise<boolean> {
  const window = calendarWindow(new Date(), 30, 30);
  const truth = byId((await calendarTruth(stack.sim, email, window)).map(truthEvent));
  const stored = byId((await storedRows(stack, 'CalendarEvents', integrationId)).items);
  if (truth.size !== stored.size) return false;
  for (const [id, want] of truth) if (JSON.stringify(stored.get(id)) !== JSON.stringify(want)) return false;
  return true;
}

/** Waits until the store equals the truth (a delta round caused by notifications, no poll asked for). */
export const untilCalendarMatches = (stack: Stack, email: string, id: string, timeoutMs = 30_000) =>
  waitFor(() => calendarMatches(stack, email, id), timeoutMs, 100);

/** The integration once `realtime.status` is `status`. */
export function untilRealtime(stack: Stack, token: string, id: string, status: string, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const res = await stack.api('GET', `integrations/${id}`, { token });
      return res.body?.realtime?.status === status && res.body.last_sync?.status === 'succeeded' ? res.body : undefined;
    },
    timeoutMs,
    100,
  );
}

/** Posts to one of the app's notification URLs as Graph does. */
export async function post(stack: Stack, path: string, init: { body?: string; type?: string } = {}) {
  const started = performance.now();
  const res = await fetch(`${stack.host.url}/api/integrations/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': init.type ?? 'text/plain; charset=utf-8' },
    body: init.body,
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    text: await res.text(),
    ms: performance.now() - started,
  };
}
