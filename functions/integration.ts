import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json } from '../shared/http/input.js';
import { integrationView } from '../shared/integrations/model.js';
import { useCases } from '../shared/root.js';

/** GET and DELETE /api/integrations/{id} (one function: the two share a route). */
export const integration: HttpFunction = {
  kind: 'http',
  name: 'integration',
  route: 'integrations/{id}',
  methods: ['GET', 'DELETE'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const app = await useCases();
    if (request.method === 'GET')
      return json(200, integrationView(await app.getIntegration(caller, request.params.id)));
    await app.disconnect(caller, request.params.id, log);
    return { status: 204 };
  }),
};
