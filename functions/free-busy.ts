import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// The schema loads on the first request, not at every cold start's import (benchmark B5).
const params = lazy(() => import('../shared/query/free-busy-params.js'));

/** GET /api/integrations/free-busy — the caller's merged busy time in a window, from the store. */
export const freeBusy: HttpFunction = {
  kind: 'http',
  name: 'freeBusy',
  route: 'integrations/free-busy',
  methods: ['GET'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { freeBusyQuerySchema } = await params();
    const now = Date.now();
    const query = readQuery(request, freeBusyQuerySchema(now));
    return json(200, await (await useCases()).freeBusy(caller, query, log, now));
  }),
};
