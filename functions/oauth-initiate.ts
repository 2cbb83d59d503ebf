import { z } from 'zod';
import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { providerSchema } from '../shared/providers.js';
import { lazy } from '../shared/lazy.js';

const app = lazy(() => import('../shared/app.js'));

export const body = z.strictObject({
  provider: providerSchema,
  redirect_uri: z.string().max(2048).optional(),
  login_hint: z.email().max(320).optional(),
});

/** POST /api/integrations/oauth/initiate */
export const oauthInitiate: HttpFunction = {
  kind: 'http',
  name: 'oauthInitiate',
  route: 'integrations/oauth/initiate',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const input = await readJsonBody(request, body);
    const { connectPorts, initiate } = await app();
    return json(200, await initiate(await connectPorts(log), caller, input));
  }),
};
