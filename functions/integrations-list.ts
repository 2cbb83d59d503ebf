import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas and views load on the first request, not at every cold start's import (benchmark B5).
const requests = lazy(() => import('../shared/http/requests.js'));

/** GET /api/integrations — the caller's integrations, oldest first. */
export const integrationsList: HttpFunction = {
  kind: 'http',
  name: 'integrationsList',
  route: 'integrations',
  methods: ['GET'],
  handler: authenticatedEndpoint(async ({ request, caller }) => {
    const { integrationsQuerySchema } = await requests();
    const query = readQuery(request, integrationsQuerySchema);
    return json(200, await (await useCases()).listIntegrations(caller, query));
  }),
};
