import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json } from '../shared/http/input.js';
import { integrationView } from '../shared/integrations/model.js';
import { lazy } from '../shared/lazy.js';

const app = lazy(() => import('../shared/app.js'));

/** GET /api/integrations — the caller's integrations, oldest first. */
export const integrationsList: HttpFunction = {
  kind: 'http',
  name: 'integrationsList',
  route: 'integrations',
  methods: ['GET'],
  handler: authenticatedEndpoint(async ({ caller }) => {
    const { repositories } = await app();
    const { integrations } = await repositories();
    const list = await integrations.listForUser(caller.userKey);
    return json(200, { results: list.map(integrationView), next_cursor: null });
  }),
};
