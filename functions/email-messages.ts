import type { HttpFunction } from '../shared/functions/definitions.js';
import { authenticatedEndpoint } from '../shared/http/endpoint.js';
import { json, readQuery } from '../shared/http/input.js';
import { lazy } from '../shared/lazy.js';
import { useCases } from '../shared/root.js';

// Schemas and views load on the first request, not at every cold start's import (benchmark B5).
const params = lazy(() => import('../shared/query/message-params.js'));

/** GET /api/integrations/email-messages — the caller's messages, newest first, filtered and searched. */
export const emailMessages: HttpFunction = {
  kind: 'http',
  name: 'emailMessages',
  route: 'integrations/email-messages',
  methods: ['GET'],
  handler: authenticatedEndpoint(async ({ request, caller, log }) => {
    const { messageQuerySchema } = await params();
    const query = readQuery(request, messageQuerySchema);
    return json(200, await (await useCases()).emailMessages(caller, query, log));
  }),
};
