import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json } from '../shared/http/input.js';
import { integrationView } from '../shared/integrations/model.js';
import { lazy } from '../shared/lazy.js';

const app = lazy(() => import('../shared/app.js'));

/** GET and DELETE /api/integrations/{id} (one function: the two share a route). */
export const integration: HttpFunction = {
  kind: 'http',
  name: 'integration',
  route: 'integrations/{id}',
  methods: ['GET', 'DELETE'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { deps, disconnect, ownedIntegration, repositories } = await app();
    const { integrations } = await repositories();
    const found = await ownedIntegration(integrations, caller, request.params.id, { includeDisconnected: request.method === 'DELETE' });
    if (request.method === 'GET') return json(200, integrationView(found));
    await disconnect(await deps(), integrations, found, log);
    return { status: 204 };
  }),
};
