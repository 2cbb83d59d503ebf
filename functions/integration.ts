import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas and views load on the first request, not at every cold start's import (benchmark B5).
const views = lazy(() => import('../shared/integrations/model.js'));

/** GET and DELETE /api/integrations/{id} (one function: the two share a route). */
export const integration: HttpFunction = {
  kind: 'http',
  name: 'integration',
  route: 'integrations/{id}',
  methods: ['GET', 'DELETE'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { integrationView } = await views();
    const app = await useCases();
    if (request.method === 'GET')
      return json(200, integrationView(await app.getIntegration(caller, request.params.id)));
    await app.disconnect(caller, request.params.id, log);
    return { status: 204 };
  }),
};
