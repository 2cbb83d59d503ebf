import { z } from 'zod';
import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { integrationView } from '../shared/integrations/model.js';
import { providerSchema } from '../shared/providers.js';
import { lazy } from '../shared/lazy.js';

const app = lazy(() => import('../shared/app.js'));

const state = z.string().min(1).max(512);
// Authorization codes are printable ASCII; anything else is not a code Microsoft issued (and MSAL
// could not even put it in a form body).
const code = z.string().min(1).max(8192).regex(/^[\x21-\x7e]+$/, 'is not an authorization code');
// OAuth error codes (RFC 6749 §4.1.2.1) are lowercase words joined by underscores; only such a
// code is ever repeated back, never free text from the redirect.
const error = z.string().regex(/^[a-z_]{1,64}$/, 'is not an OAuth error code');
export const body = z.union([
  z.strictObject({ provider: providerSchema, state, code }),
  z.strictObject({ provider: providerSchema, state, error, error_description: z.string().max(4096).optional() }),
]);

/** POST /api/integrations/oauth/callback — 201 for a new integration, 200 when an existing one is renewed. */
export const oauthCallback: HttpFunction = {
  kind: 'http',
  name: 'oauthCallback',
  route: 'integrations/oauth/callback',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const input = await readJsonBody(request, body);
    const { complete, connectPorts, enqueueAfterConnect } = await app();
    const { integration, created } = await complete(await connectPorts(log, enqueueAfterConnect(log)), caller, input);
    return json(created ? 201 : 200, integrationView(integration), created ? { Location: `/api/integrations/${integration.id}` } : {});
  }),
};
