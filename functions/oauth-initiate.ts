import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas and views load on the first request, not at every cold start's import (benchmark B5).
const requests = lazy(() => import('../shared/http/requests.js'));

/** POST /api/integrations/oauth/initiate */
export const oauthInitiate: HttpFunction = {
  kind: 'http',
  name: 'oauthInitiate',
  route: 'integrations/oauth/initiate',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { initiateRequestSchema } = await requests();
    const input = await readJsonBody(request, initiateRequestSchema);
    return json(200, await (await useCases()).initiateConnect(caller, input, log));
  }),
};
