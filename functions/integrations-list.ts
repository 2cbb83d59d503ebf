import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { providerSchema } from '../shared/providers.js';
import { cursorParam, limitParam, strictQuery } from '../shared/query/params.js';

const app = lazy(() => import('../shared/app.js'));

export const integrationsQuerySchema = strictQuery({
  provider: providerSchema.optional(),
  limit: limitParam,
  cursor: cursorParam.optional(),
});

/** GET /api/integrations — the caller's integrations, oldest first. */
export const integrationsList: HttpFunction = {
  kind: 'http',
  name: 'integrationsList',
  route: 'integrations',
  methods: ['GET'],
  handler: authenticatedEndpoint(async ({ request, caller }) => {
    const query = readQuery(request, integrationsQuerySchema);
    const { deps, integrationsPage, repositories } = await app();
    const { integrations } = await repositories();
    return json(200, await integrationsPage(integrations, (await deps()).keys, caller, query));
  }),
};
