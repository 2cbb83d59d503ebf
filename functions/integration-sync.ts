import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { syncRequestSchema } from '../shared/http/requests.js';
import { integrationView } from '../shared/integrations/model.js';
import { useCases } from '../shared/root.js';

/** POST /api/integrations/{id}/sync — 202; a sync already queued or running is not queued twice. */
export const integrationSync: HttpFunction = {
  kind: 'http',
  name: 'integrationSync',
  route: 'integrations/{id}/sync',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller }) => {
    const body = () => readJsonBody(request, syncRequestSchema);
    const integration = await (await useCases()).requestSync(caller, request.params.id, body);
    return json(202, integrationView(integration), { Location: `/api/integrations/${integration.id}` });
  }),
};
