import { z } from 'zod';
import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readJsonBody } from '../shared/http/input.js';
import { integrationView } from '../shared/integrations/model.js';
import { syncTypeSchema } from '../shared/providers.js';
import { lazy } from '../shared/lazy.js';
import { QUEUES } from '../shared/storage/names.js';

const app = lazy(() => import('../shared/app.js'));

export const body = z.strictObject({ sync_type: syncTypeSchema });

/** POST /api/integrations/{id}/sync — 202; a sync already queued or running is not queued twice. */
export const integrationSync: HttpFunction = {
  kind: 'http',
  name: 'integrationSync',
  route: 'integrations/{id}/sync',
  methods: ['POST'],
  handler: authenticatedEndpoint(async ({ request, caller }) => {
    const { deps, ownedIntegration, repositories, requestSync } = await app();
    const { integrations } = await repositories();
    const found = await ownedIntegration(integrations, caller, request.params.id);
    const { sync_type } = await readJsonBody(request, body);
    const queue = await (await deps()).storage.queue(QUEUES.syncJobs);
    const { integration } = await requestSync(integrations, queue, found, sync_type);
    return json(202, integrationView(integration), { Location: `/api/integrations/${integration.id}` });
  }),
};
