import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { callbackRequestSchema } from '../shared/http/requests.js';
import { integrationView } from '../shared/integrations/model.js';
import { useCases } from '../shared/root.js';

/** POST /api/integrations/oauth/callback — 201 for a new integration, 200 when an existing one is renewed. */
export const oauthCallback: HttpFunction = {
  kind: 'http',
  name: 'oauthCallback',
  route: 'integrations/oauth/callback',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const input = await readJsonBody(request, callbackRequestSchema);
    const { integration, created } = await (await useCases()).completeConnect(caller, input, log);
    const headers: Record<string, string> = created ? { Location: `/api/integrations/${integration.id}` } : {};
    return json(created ? 201 : 200, integrationView(integration), headers);
  }),
};
