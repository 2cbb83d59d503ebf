import type { HttpFunction } from '../shared/functions/definitions.js';
import { endpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { noQuerySchema } from '../shared/http/requests.js';
import { useCases } from '../shared/root.js';

/** GET /api/health — anonymous; names the failing dependency, never versions or secrets. */
export const health: HttpFunction = {
  kind: 'http',
  name: 'health',
  route: 'health',
  methods: ['GET'],
  handler: endpoint(async ({ request }) => {
    readQuery(request, noQuerySchema);
    const result = await (await useCases()).health();
    return json(result.healthy ? 200 : 503, { status: result.healthy ? 'ok' : 'unavailable', checks: result.checks });
  }),
};
