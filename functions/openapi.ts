import type { HttpFunction } from '../shared/functions/definitions.js';
import { endpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { noQuerySchema } from '../shared/http/requests.js';
import { lazy } from '../shared/lazy.js';

// Building the document runs zod's JSON Schema generation: done on first request, not at start-up.
const document = lazy(() => import('../shared/openapi/document.js'));

/** GET /api/openapi.json — anonymous: the OpenAPI 3.1 document of the whole HTTP API. */
export const openApi: HttpFunction = {
  kind: 'http',
  name: 'openApi',
  route: 'openapi.json',
  methods: ['GET'],
  handler: endpoint(async ({ request }) => {
    readQuery(request, noQuerySchema);
    return json(200, (await document()).openApiDocument());
  }),
};
