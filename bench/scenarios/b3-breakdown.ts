import { IntegrationRepository } from '../../shared/integrations/repository.js';
import { eventRowSchema, eventView } from '../../shared/items/event.js';
import { eventFilters } from '../../shared/query/event-query.js';
import { tableClient, userKeyOf } from '../lib/app.js';
import { median } from '../lib/stats.js';
import type { QueryWorld } from './b3-queries.js';

/**
 * Where calendar-events spends its time beyond the raw query, each step timed alone with the
 * app's own code against the same Azurite: the caller's Integrations read, the second range scan
 * (`l|`, long events), and parsing + shaping + serialising one page. Medians of `n` runs, in ms.
 */
export async function eventsBreakdown(w: QueryWorld, limit: number, n: number): Promise<Record<string, number>> {
  const repo = new IntegrationRepository(tableClient(w.stack.direct, 'Integrations'));
  const events = tableClient(w.stack.direct, 'CalendarEvents');
  const userKey = await userKeyOf(w.stack.direct, w.calendarId);
  const [shortRange, longRange] = eventFilters(w.calendarId, w.window);
  const firstPage = async (filter: string) =>
    (
      await events
        .listEntities({ queryOptions: { filter } })
        .byPage({ maxPageSize: limit + 1 })
        .next()
    ).value ?? [];
  const page = await firstPage(shortRange!);
  const steps: Record<string, () => Promise<unknown>> = {
    integrations_read: () => repo.listForUser(userKey),
    long_event_scan: () => firstPage(longRange!),
    parse_shape_serialise: async () =>
      JSON.stringify(page.map((row: unknown) => eventView(eventRowSchema.parse(row), 'microsoft_calendar'))),
  };
  const samples: Record<string, number[]> = {};
  for (let i = 0; i < n; i++) {
    for (const [name, step] of Object.entries(steps)) {
      const started = performance.now();
      await step();
      (samples[name] ??= []).push(performance.now() - started);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}
