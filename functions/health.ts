import type { HttpFunction } from '../shared/functions/definitions.js';
import { deps } from '../shared/deps.js';
import { endpoint } from '../shared/http/endpoint.js';
import { json } from '../shared/http/input.js';
import { checkHealth } from '../shared/health.js';

/** GET /api/health — anonymous; names the failing dependency, never versions or secrets. */
export const health: HttpFunction = {
  kind: 'http',
  name: 'health',
  route: 'health',
  methods: ['GET'],
  handler: endpoint(async () => {
    const result = await checkHealth(await deps());
    return json(result.healthy ? 200 : 503, { status: result.healthy ? 'ok' : 'unavailable', checks: result.checks });
  }),
};
