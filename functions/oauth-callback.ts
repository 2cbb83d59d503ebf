import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas and views load on the first request, not at every cold start's import (benchmark B5).
const requests = lazy(() => import('../shared/http/requests.js'));
const views = lazy(() => import('../shared/integrations/model.js'));

/** POST /api/integrations/oauth/callback — 201 for a new integration, 200 when an existing one is renewed. */
export const oauthCallback: HttpFunction = {
  kind: 'http',
  name: 'oauthCallback',
  route: 'integrations/oauth/callback',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { callbackRequestSchema } = await requests();
    const { integrationView } = await views();
    const input = await readJsonBody(request, callbackRequestSchema);
    const { integration, created } = await (await useCases()).completeConnect(caller, input, log);
    const headers: Record<string, string> = created ? { Location: `/api/integrations/${integration.id}` } : {};
    return json(created ? 201 : 200, integrationView(integration), headers);
  }),
};
