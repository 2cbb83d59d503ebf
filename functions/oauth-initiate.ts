import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { initiateRequestSchema } from '../shared/http/requests.js';
import { useCases } from '../shared/root.js';

/** POST /api/integrations/oauth/initiate */
export const oauthInitiate: HttpFunction = {
  kind: 'http',
  name: 'oauthInitiate',
  route: 'integrations/oauth/initiate',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const input = await readJsonBody(request, initiateRequestSchema);
    return json(200, await (await useCases()).initiateConnect(caller, input, log));
  }),
};
