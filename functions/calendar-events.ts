import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas and views load on the first request, not at every cold start's import (benchmark B5).
const params = lazy(() => import('../shared/query/event-params.js'));

/** GET /api/integrations/calendar-events — the caller's events overlapping a window, by start then id. */
export const calendarEvents: HttpFunction = {
  kind: 'http',
  name: 'calendarEvents',
  route: 'integrations/calendar-events',
  methods: ['GET'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { eventQuerySchema } = await params();
    const now = Date.now();
    const query = readQuery(request, eventQuerySchema(now));
    return json(200, await (await useCases()).calendarEvents(caller, query, log, now));
  }),
};
