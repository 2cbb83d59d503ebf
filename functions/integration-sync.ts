import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas and views load on the first request, not at every cold start's import (benchmark B5).
const requests = lazy(() => import('../shared/http/requests.js'));
const views = lazy(() => import('../shared/integrations/model.js'));

/** POST /api/integrations/{id}/sync — 202; a sync already queued or running is not queued twice. */
export const integrationSync: HttpFunction = {
  kind: 'http',
  name: 'integrationSync',
  route: 'integrations/{id}/sync',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller }) => {
    const { syncRequestSchema } = await requests();
    const { integrationView } = await views();
    const body = () => readJsonBody(request, syncRequestSchema);
    const integration = await (await useCases()).requestSync(caller, request.params.id, body);
    return json(202, integrationView(integration), { Location: `/api/integrations/${integration.id}` });
  }),
};
