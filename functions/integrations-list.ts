import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { integrationsQuerySchema } from '../shared/http/requests.js';
import { useCases } from '../shared/root.js';

/** GET /api/integrations — the caller's integrations, oldest first. */
export const integrationsList: HttpFunction = {
  kind: 'http',
  name: 'integrationsList',
  route: 'integrations',
  methods: ['GET'],
  handler: authenticatedEndpoint(async ({ request, caller }) => {
    const query = readQuery(request, integrationsQuerySchema);
    return json(200, await (await useCases()).listIntegrations(caller, query));
  }),
};
